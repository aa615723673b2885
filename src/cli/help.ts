/** The --help text of every command, in one place so they read alike. */

export const MAIN_HELP = `cti-conversation: the conversation destination of a CTI processor bridge

Usage: cti-conversation <command> [flags]

Commands:
  demo      a scripted day of calls: bridge simulator, client and simulated phone in one process
  client    connect to a processor bridge and serve its conversation destinations
  bridge    run the bridge simulator alone, playing a scenario against the client that connects

Run \`cti-conversation <command> --help\` for a command's flags.
`;

export const DEMO_HELP = `Usage: cti-conversation demo [--json] [--inspect[=local] | --inspect=stately[=URL]]

Plays a scripted day of calls on 127.0.0.1: the bridge simulator sends init queries and requests,
the client answers them through a simulated phone, and the simulated far ends answer, hang up, join
and leave. Prints both directions of the traffic, then a summary of calls, messages and the
invariants checked. Exits 0 only when every invariant held.

Flags:
  --json                   one JSON object per line instead of the readable transcript
  --inspect[=local]        serve the local inspector page on 127.0.0.1 (its address goes to
                           stderr) and stay up after the day, with one call left live, until Ctrl-C
  --inspect=stately[=URL]  send inspection events to a Stately WebSocket inspector at URL
                           (default ws://127.0.0.1:8080, e.g. a relay of @statelyai/inspect)
  -h, --help               this text

The transcript is coloured on a terminal; set NO_COLOR=1 to turn colour off.
`;

export const CLIENT_HELP = `Usage: cti-conversation client --bridge HOST:PORT --phone sim|baresip|linphone [flags]

Connects to a processor bridge (a TCP server), answers its conversation queries and requests and
reports the phone's events. Reconnects after a drop. Logs go to stderr; Ctrl-C closes cleanly.

Flags:
  --bridge HOST:PORT       the processor bridge to connect to (required)
  --phone sim|baresip|linphone
                           which phone to drive (required)
  --calls FILE             with --phone sim: a JSON or YAML file of calls for the simulated phone
  --baresip HOST:PORT      with --phone baresip: the ctrl_tcp address of the agent's baresip
                           (default 127.0.0.1:4444)
  --linphone SOCKET        with --phone linphone: the unix socket of the agent's linphone-daemon
                           (/tmp/NAME for linphone-daemon --pipe NAME; see docs/linphone.md)
  --tls                    connect with TLS (the server's certificate is verified)
  --ca FILE                with --tls: a PEM file of CA certificates to trust
  --cert FILE              with --tls: a PEM client certificate
  --key FILE               with --tls: the PEM private key of --cert
  --servername NAME        with --tls: the name to verify the server's certificate against
  --transcript             print every message both ways (and the phone's side) on stdout
  --json                   the transcript as one JSON object per line (implies --transcript)
  --inspect[=local]        serve the local inspector page on 127.0.0.1 (its address goes to stderr)
  --inspect=stately[=URL]  send inspection events to a Stately WebSocket inspector at URL
                           (default ws://127.0.0.1:8080)
  -h, --help               this text

Example:
  cti-conversation client --bridge 127.0.0.1:7001 --phone sim --calls examples/calls.yaml
`;

export const BRIDGE_HELP = `Usage: cti-conversation bridge --listen HOST:PORT [--scenario FILE] [--json]

Runs the bridge simulator alone: it listens, and when a client connects it plays the scenario
(which init queries and requests to send to which target, and which events to wait for), checks
every message the client sends, prints the traffic and the conformance report, and exits 0 when
the report passes. Ctrl-C stops it.

Flags:
  --listen HOST:PORT       the address to listen on (port 0 picks a free port and prints it)
  --scenario FILE          a JSON or YAML scenario file (default: only listen and check traffic)
  --json                   one JSON object per line instead of the readable transcript
  -h, --help               this text

Example:
  cti-conversation bridge --listen 127.0.0.1:7001 --scenario examples/scenario.yaml
`;
