/**
 * Connections the kernel may hold for a platform's HTTP endpoint before Node accepts them.
 * Node's default (511) is smaller than a burst of slash commands: past it, Linux drops the
 * handshake's last ACK and the client retransmits after 1 s, then 3 s — an acknowledgement
 * late past Slack's and Discord's 3 s before the bot has even seen the request. The kernel
 * caps it at `net.core.somaxconn` (4096 on current Linux).
 */
export const LISTEN_BACKLOG = 4096;
