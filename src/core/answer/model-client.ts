import type { Paper } from '../paper.js';
import { MODEL_INSTRUCTIONS, modelUserMessage, parseModelText } from './model-prompt.js';
import type { AnswerSentence } from './types.js';

export interface ModelSettings {
  /** OpenAI-compatible base, e.g. `http://127.0.0.1:11434/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  timeoutMs: number;
  apiKey: string | null;
}

export type ModelFailureReason = 'timeout' | 'http' | 'network' | 'malformed';

/** Why the model gave no usable answer. The message never holds the key or the response body. */
export class ModelFailure extends Error {
  constructor(
    readonly reason: ModelFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelFailure';
  }
}

export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/** The request body: the fixed instructions, the question and the abstracts. */
export function modelRequestBody(settings: ModelSettings, question: string, papers: Paper[]) {
  return {
    model: settings.model,
    temperature: 0,
    messages: [
      { role: 'system', content: MODEL_INSTRUCTIONS },
      { role: 'user', content: modelUserMessage(question, papers) },
    ],
  };
}

function contentOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return null;
  const message = (choices[0] as { message?: { content?: unknown } } | undefined)?.message;
  return typeof message?.content === 'string' ? message.content : null;
}

/**
 * Asks the model; resolves to sentences citing `papers` by 1-based position, or throws a
 * ModelFailure (timeout, HTTP error, network, malformed output).
 */
export async function askModel(
  settings: ModelSettings,
  question: string,
  papers: Paper[],
  fetchImpl: typeof fetch = fetch,
  timeoutSignal: (ms: number) => AbortSignal = (ms) => AbortSignal.timeout(ms),
): Promise<AnswerSentence[]> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  let response: Response;
  let text: string;
  const signal = timeoutSignal(settings.timeoutMs);
  try {
    response = await fetchImpl(chatCompletionsUrl(settings.baseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(modelRequestBody(settings, question, papers)),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) {
      throw new ModelFailure('timeout', `no answer within ${settings.timeoutMs} ms`, {
        cause: error,
      });
    }
    throw new ModelFailure('network', 'the model server could not be reached', { cause: error });
  }
  if (!response.ok) throw new ModelFailure('http', `the model server answered ${response.status}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ModelFailure('malformed', 'the model server did not answer with JSON');
  }
  const content = contentOf(body);
  if (content === null || content.trim() === '') {
    throw new ModelFailure('malformed', 'the model answer has no message content');
  }
  const sentences = parseModelText(content, papers.length);
  if (sentences.length === 0) throw new ModelFailure('malformed', 'the model answer is empty');
  return sentences;
}
