# shellcheck shell=bash
# Sourced by ci/nvmf/lab.sh: record host-loopback NVMe/TCP traffic with dumpcap and judge it with
# tshark's NVMe/TCP dissector. Uses: LAB, PORT, log(), stop_pid().

# capture_start NAME: dumpcap on lo for tcp port $PORT into $LAB/logs/NAME.pcapng; returns once
# dumpcap captures. It stops itself after CAPTURE_LIMIT s at the latest.
capture_start() {
  local name=$1 file="$LAB/logs/$1.pcapng" dumplog="$LAB/logs/$1.dumpcap.log" n=0
  stop_pid "$LAB/run/capture-$name.pid" INT
  rm -f "$file"
  dumpcap -i lo -f "tcp port $PORT" -B 64 -a "duration:${CAPTURE_LIMIT:-900}" -w "$file" >"$dumplog" 2>&1 &
  echo $! >"$LAB/run/capture-$name.pid"
  until grep -q '^Capturing on' "$dumplog"; do
    if ! kill -0 "$(cat "$LAB/run/capture-$name.pid")" 2>/dev/null || [ $n -ge 150 ]; then
      log "dumpcap did not start: $(tail -n 3 "$dumplog")"
      stop_pid "$LAB/run/capture-$name.pid" INT
      return 1
    fi
    sleep 0.1
    n=$((n + 1))
  done
}

capture_stop() {
  local file="$LAB/logs/$1.pcapng" size=-1 now n=0
  # libpcap hands dumpcap its packets in blocks, on a timeout, and an interrupted dumpcap drops what it has
  # not read yet: the last commands, responses and FINs of a run. Stop it only once the file has stopped
  # growing for a second (at most 6 s).
  while [ $n -lt 6 ]; do
    now=$(stat -c %s "$file" 2>/dev/null || echo 0)
    [ "$now" = "$size" ] && break
    size=$now
    n=$((n + 1))
    sleep 1
  done
  stop_pid "$LAB/run/capture-$1.pid" INT
  grep -h 'received/dropped' "$LAB/logs/$1.dumpcap.log" | sed 's/^/  dumpcap: /' >&2 || true
}

# judge PCAP [digests] [queues=N]: pass only if tshark decodes NVMe/TCP on $PORT with no malformed PDU
# and no expert error, the capture holds ICReq, ICResp, command and response capsules and C2HData and no
# termination request, every command is answered, with "digests" every header and data digest is marked
# good, and with queues=N reads (C2HData) ran on N I/O queues (connections whose Connect named a qid > 0).
# Two tshark passes: the malformed/expert filter, and one field dump the other checks read.
judge() {
  local pcap=$1 digests=0 queues=0 arg bad=0 opts fields="$LAB/logs/judge.fields" types
  shift
  for arg in "$@"; do
    case "$arg" in
      digests) digests=1 ;;
      queues=*) queues=${arg#*=} ;;
      *) log "judge: unknown argument $arg"; return 2 ;;
    esac
  done
  [ -s "$pcap" ] || { echo "JUDGE capture FAIL $pcap is missing or empty"; return 1; }
  # Out-of-order reassembly: loopback TCP under flow control (zero windows, D-SACKed retransmissions)
  # otherwise makes tshark skip whole PDUs without a word.
  opts=(-n -r "$pcap" -d "tcp.port==$PORT,nvme-tcp" -o tcp.reassemble_out_of_order:TRUE)
  [ $digests = 1 ] && opts+=(-o nvme-tcp.check_hdgst:TRUE -o nvme-tcp.check_ddgst:TRUE)

  # tshark failing (a bad filter, a truncated file) must fail the judge, never read as "nothing found".
  local flagged
  if ! flagged=$(tshark "${opts[@]}" -Y '_ws.malformed || _ws.expert.severity >= "Error"' -T fields \
      -e frame.number -e _ws.expert.message 2>"$LAB/logs/tshark.err"); then
    echo "JUDGE malformed FAIL tshark failed: $(grep -v 'Running as user' "$LAB/logs/tshark.err" | head -n 3)"
    return 1
  elif [ -z "$flagged" ]; then echo "JUDGE malformed PASS no malformed frame, no expert error"
  else
    echo "JUDGE malformed FAIL $(grep -c . <<<"$flagged") frames malformed or with expert errors, first ones:"
    head -n 5 <<<"$flagged" | sed 's/^/    frame /'
    bad=1
  fi

  # One line per frame; a frame may carry several PDUs, so a column holds a comma-separated list.
  # Columns: 1 TCP stream, 2 PDU types, 3 C2HData SUCCESS flags, 4/5 header/data digest statuses, 6 Connect qid,
  # 7 command opcodes.
  tshark "${opts[@]}" -Y nvme-tcp -T fields -E separator=/t -e tcp.stream -e nvme-tcp.type -e nvme-tcp.flags.pdu.data_success \
    -e nvme-tcp.hdgst.status -e nvme-tcp.ddgst.status -e nvme.fabrics.cmd.connect.qid -e nvme.cmd.opc >"$fields" 2>"$LAB/logs/tshark.err" ||
    { echo "JUDGE pdus FAIL tshark failed: $(grep -v 'Running as user' "$LAB/logs/tshark.err" | head -n 3)"; return 1; }

  types=$(column_counts 2 "$fields")
  echo "  PDUs by type (type:count): $types (0 ICReq 1 ICResp 2/3 TermReq 4 Cmd 5 Resp 6 H2CData 7 C2HData 9 R2T)" >&2
  local need missing=""
  for need in 0 1 4 5 7; do
    [[ " $types" == *" $need:"* ]] || missing="$missing $need"
  done
  if [[ " $types" == *" 2:"* || " $types" == *" 3:"* ]]; then echo "JUDGE pdus FAIL a termination request (fatal transport error) was sent"; bad=1
  elif [ -n "$missing" ]; then echo "JUDGE pdus FAIL no PDU of type$missing"; bad=1
  else echo "JUDGE pdus PASS $types"; fi

  # Every command capsule is answered by a response capsule or a C2HData with the SUCCESS flag; one
  # Asynchronous Event Request per connection may stay outstanding, or as many as an admin connection
  # (Connect qid 0) sent (SPDK's initiator sends up to four). Also shows no PDU went undecoded.
  local unanswered
  unanswered=$(awk -F'\t' '{seen[$1] = 1; n = split($2, t, ","); for (i = 1; i <= n; i++) { if (t[i] == 4) cmd[$1]++; if (t[i] == 5) rsp[$1]++ }
        n = split($3, f, ","); for (i = 1; i <= n; i++) if (f[i] == 1) ok[$1]++
        if ($6 != "") admin[$1] = ($6 + 0 == 0); n = split($7, o, ","); for (i = 1; i <= n; i++) if (o[i] == "0x0c") aer[$1]++}
      END {for (s in seen) { d = cmd[s] - rsp[s] - ok[s]; most = admin[s] && aer[s] > 1 ? aer[s] : 1; if (d < 0 || d > most)
        printf "connection %s: %d commands, %d responses, %d C2HData with SUCCESS; ", s, cmd[s], rsp[s], ok[s] }}' "$fields")
  if [ -z "$unanswered" ]; then echo "JUDGE answers PASS every command answered (but outstanding AERs: one per connection, or what an admin connection sent)"
  else echo "JUDGE answers FAIL ${unanswered%; }"; bad=1; fi

  if [ $digests = 1 ]; then
    judge_digest hdgst 4 || bad=1
    judge_digest ddgst 5 || bad=1
  fi

  if [ "$queues" -gt 0 ]; then
    local used count
    used=$(awk -F'\t' '$6 != "" && $6 + 0 > 0 {qid[$1] = $6 + 0} {n = split($2, t, ","); for (i = 1; i <= n; i++) if (t[i] == 7) reads[$1]++}
        END {for (s in qid) if (reads[s] > 0) printf "qid %d: %d C2HData\n", qid[s], reads[s]}' "$fields" | sort)
    count=$(grep -c . <<<"$used" || true)
    if [ "$count" -ge "$queues" ]; then echo "JUDGE queues PASS reads on $count I/O queues ($(paste -sd ';' <<<"$used"))"
    else echo "JUDGE queues FAIL reads on $count I/O queues, expected $queues (${used:-no reads on an I/O queue})"; bad=1; fi
  fi
  return $bad
}

# column_counts N FILE: "value:count value:count ..." over the comma-separated lists in tab column N.
column_counts() {
  cut -f "$1" "$2" | tr ',' '\n' | sed '/^$/d' | sort -n | uniq -c | awk '{printf "%s%s:%s", sep, $2, $1; sep=" "}'
}

# judge_digest hdgst|ddgst COLUMN: every status is 1 (good), and there is at least one.
# Checksum statuses: 0 bad, 1 good, 2 unverified, 3 not present.
judge_digest() {
  local statuses
  statuses=$(column_counts "$2" "$fields")
  if [[ "$statuses" =~ ^1:[0-9]+$ ]]; then echo "JUDGE $1 PASS all ${statuses#1:} marked good"
  else echo "JUDGE $1 FAIL digest statuses (status:count, 1 = good): ${statuses:-none}"; return 1; fi
}

# judge_rejects_corruption PCAP: the judge must fail a copy of the digest capture PCAP in which one data
# digest is flipped - proof that a pass means the digests were checked.
judge_rejects_corruption() {
  local pcap=$1 bad="${1%.pcapng}-corrupted.pcapng" digest
  digest=$(tshark -n -r "$pcap" -d "tcp.port==$PORT,nvme-tcp" -o tcp.reassemble_out_of_order:TRUE -Y nvme-tcp.ddgst -T fields -e nvme-tcp.ddgst 2>/dev/null |
    head -n 1 | cut -d , -f 1)
  [ -n "$digest" ] || { echo "JUDGE self-check FAIL no data digest in $pcap"; return 1; }
  python3 - "$pcap" "$bad" "$digest" <<'PY' || { echo "JUDGE self-check FAIL data digest $digest not found in $pcap"; return 1; }
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
value = int(sys.argv[3], 16)
for needle in (struct.pack("<I", value), struct.pack(">I", value)):
    at = data.find(needle)
    if at >= 0:
        data[at] ^= 0xFF
        open(sys.argv[2], "wb").write(data)
        sys.exit(0)
sys.exit(1)
PY
  if judge "$bad" digests >"$LAB/logs/corrupted.judge" 2>&1; then
    echo "JUDGE self-check FAIL a capture with data digest $digest flipped passed"
    return 1
  fi
  echo "JUDGE self-check PASS flipping data digest $digest fails the judge: $(grep -m 1 'FAIL' "$LAB/logs/corrupted.judge")"
  rm -f "$bad"
}
