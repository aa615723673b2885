/** The --help text of every command, in one place so they read alike. */

export const MAIN_HELP = `cti-conversation: the conversation destination of a CTI processor bridge

Usage: cti-conversation <command> [flags]

Commands:
  demo      a scripted day of calls: bridge simulator, client and simulated phone in one process
  client    connect to a processor bridge and serve its conversation destinations
  bridge    run the bridge simulator alone, playing a scenario against the client that connects
  replay    replay a recorded trace against this version's destination; exit 0 only on a match

Run \`cti-conversation <command> --help\` for a command's flags; \`cti-conversation --version\` prints
the version.
`;

export const DEMO_HELP = `Usage: cti-conversation demo [--json] [--inspect[=local] | --inspect=stately[=URL]]

Plays a scripted day of calls on 127.0.0.1: the bridge simulator sends init queries and requests,
the client answers them through a simulated phone, and the simulated far ends answer, hang up, join
and leave. Prints both directions of the traffic, then a summary of calls, messages and the
invariants checked. Exits 0 only when every invariant held.

Flags:
  --json                   JSON lines instead of the readable transcript: one object per line,
                           each with a "type" and a "time"; nothing else on stdout
  --show-digits            show DTMF digits in the transcript (masked as [N digits] by default)
  --inspect[=local]        serve the local inspector page on 127.0.0.1 (its address goes to
                           stderr) and stay up after the day, with one call left live, until Ctrl-C
  --inspect=stately[=URL]  send inspection events to a Stately WebSocket inspector at URL
                           (default ws://127.0.0.1:8080, e.g. a relay of @statelyai/inspect)
  --record FILE            record the day as a trace (JSON lines; see docs/traces.md)
  --record-unmasked        with --record: keep DTMF digits, numbers and names (masked by default)
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
  --tls-insecure           with --tls: do NOT verify the server's certificate (a lab only;
                           anyone on the path can read and change the traffic). Warned at start
                           and on every connect
  --log-level LEVEL        debug, info (default), warn, error or silent. Phone numbers, party
                           names and DTMF digits are logged at debug only
  --show-digits            show DTMF digits in the transcript (masked as [N digits] by default)
  --transcript             print every message both ways (and the phone's side) on stdout
  --json                   the transcript as one JSON object per line (implies --transcript)
  --inspect[=local]        serve the local inspector page on 127.0.0.1 (its address goes to stderr)
  --inspect=stately[=URL]  send inspection events to a Stately WebSocket inspector at URL
                           (default ws://127.0.0.1:8080)
  --record FILE            record a trace: every frame, phone event, operation and reconnect
                           (JSON lines, rotated at 64 MiB; replay it with \`cti-conversation replay\`)
  --record-unmasked        with --record: keep DTMF digits, numbers and names (masked by default)
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
  --json                   JSON lines instead of the readable transcript: one object per line,
                           each with a "type" and a "time"; nothing else on stdout
  -h, --help               this text

Example:
  cti-conversation bridge --listen 127.0.0.1:7001 --scenario examples/scenario.yaml
`;

export const REPLAY_HELP = `Usage: cti-conversation replay FILE [--emit-test OUT] [--context N]

Replays a trace recorded with \`client --record FILE\` (or \`demo --record FILE\`): every leg is
rebuilt, the recorded frames from the bridge, phone events and operation outcomes are fed in the
recorded order on a simulated clock, and every message the destination sends (and every phone
operation it starts) is compared with the recorded one. Prints the first divergence with the lines
before it. Exits 0 only when the replay matches. Continuations after rotation (FILE.1, FILE.2, ...)
are read after FILE.

Flags:
  --emit-test OUT          also write a vitest file that pins this trace (it fails when a later
                           version answers differently)
  --context N              how many lines before a divergence to print (default 12)
  -h, --help               this text

Example:
  cti-conversation replay examples/traces/demo-day.jsonl
`;
