#!/usr/bin/env bash
# Starts the WildFly bare relay built by `mvn -f loadgen/wildfly -B -ntp package` (in the foreground; Ctrl-C stops it).
#   loadgen/wildfly/start.sh [http-port] [max-heap]        defaults: 8092 1g (the same heap as the Payara runs)
# The server's JVM process id is written to loadgen/wildfly/target/wildfly.pid (for the generator's --server-pid).
# Every port moves with the HTTP port (offset http-port - 8080: management 9990 + offset, HTTPS 8443 + offset).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${1:-8092}"
heap="${2:-1g}"
home="$(ls -d "$here"/target/wildfly-*/ 2>/dev/null | head -n 1)"
if [ -z "$home" ] || [ ! -f "$home/standalone/deployments/ROOT.war" ]; then
  echo "No provisioned server: run 'mvn -f loadgen/wildfly -B -ntp package' first." >&2
  exit 1
fi
export JBOSS_JAVA_SIZING="-Xms64m -Xmx$heap"
export LAUNCH_JBOSS_IN_BACKGROUND=1
export JBOSS_PIDFILE="$here/target/wildfly.pid"
exec "$home/bin/standalone.sh" -b 127.0.0.1 -bmanagement 127.0.0.1 \
  -Djboss.socket.binding.port-offset="$((port - 8080))"
