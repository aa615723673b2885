/**
 * `host:port` as every line of the package prints it, and as the CLI's `--bridge`, `--listen`
 * and `--baresip` flags accept it back: an IPv6 address in brackets (`[::1]:7001`), anything
 * else as it is (`127.0.0.1:7001`, `bridge.example.com:7001`). The client's and the phones' log
 * lines and errors, the CLI and the inspector's URL all use this one function.
 */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
