#!/usr/bin/env bash
# Start a private CUPS server for the printing tests: its own folder, a loopback port, and one queue
# "shelfscan_pdf_PORT" on Debian's cups-pdf virtual printer, which writes each job as a PDF into
# DIR/out. The system's CUPS is left alone; cups-pdf only reads its settings from /etc/cups, so the
# queue's own file /etc/cups/cups-pdf-shelfscan_pdf_PORT.conf is written there (needs root, as CI is).
# Usage: scripts/cups-test-server.sh DIR PORT. Prints the queue's name once it takes jobs;
# stop it with: kill $(cat DIR/cupsd.pid); rm /etc/cups/cups-pdf-shelfscan_pdf_PORT.conf
set -euo pipefail
dir=$1 port=$2
mkdir -p "$dir"/{spool,cache,state,log,tmp,out,ppd}
chmod 0755 "$dir"  # the filters run as lp and read the PPD and spool files in here
chmod 0777 "$dir/out" "$dir/tmp"
cat >"$dir/cupsd.conf" <<CONF
Listen 127.0.0.1:$port
LogLevel warn
WebInterface No
Browsing No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Location /admin>
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow 127.0.0.1
  </Limit>
</Policy>
CONF
cat >"$dir/cups-files.conf" <<CONF
ServerRoot $dir
RequestRoot $dir/spool
CacheDir $dir/cache
StateDir $dir/state
TempDir $dir/tmp
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
Sandboxing Relaxed
FileDevice Yes
CONF
queue=shelfscan_pdf_$port
cat >"/etc/cups/cups-pdf-$queue.conf" <<CONF
Out $dir/out
AnonDirName $dir/out
Spool $dir/tmp
UserUMask 0000
Grp root
CONF
/usr/sbin/cupsd -f -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" </dev/null >>"$dir/log/cupsd.out" 2>&1 &
echo $! >"$dir/cupsd.pid"
for _ in $(seq 100); do lpstat -h "127.0.0.1:$port" -r 2>/dev/null | grep -q "is running" && break; sleep 0.1; done
lpadmin -h "127.0.0.1:$port" -p $queue -E -v cups-pdf:/$queue -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
cupsaccept -h "127.0.0.1:$port" "$queue"
cupsenable -h "127.0.0.1:$port" "$queue"
echo "$queue"
