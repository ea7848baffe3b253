#!/usr/bin/env python3
"""Shares of a JFR recording's execution samples by component, as docs/performance.md reports them.

    loadgen/jfr-components.py RECORDING.jfr [FROM TO]

Each jdk.ExecutionSample is put under the innermost stack frame that belongs to a known component (so a JDK
HashMap called by the relay counts as the relay's, AES-GCM inside the JDK as the channel's); FROM and TO
(HH:MM:SS, the recording's clock) keep only the samples of one sweep point. JFR samples Java code only: time in
the kernel (socket system calls) is not in the figures.
"""
import collections
import re
import subprocess
import sys

COMPONENTS = [
    ('Argon2id (logins)', r'argon2|Argon2'),
    ('store (H2, PostgreSQL, JDBC, JPA, group commit)',
     r'org\.h2\.|org\.postgresql|GroupCommit|Jdbc|eclipse\.persistence|com\.zaxxer'),
    ('channel AES-GCM', r'com\.sun\.crypto\.provider|javax\.crypto|GaloisCounterMode|GHASH|AESCrypt'),
    ('JSON (Parsson, WireCodec, FlatJsonWriter)', r'parsson|org\.glassfish\.json|jakarta\.json|WireCodec|FlatJsonWriter'),
    ('base64', r'Base64'),
    ('handshake (X25519, Ed25519)', r'bouncycastle|X25519|Ed25519'),
    ('relay logic', r'com\.securecom\.'),
    ('metrics', r'microprofile\.metrics|smallrye\.metrics|fish\.payara\.microprofile\.metrics'),
    ('Tyrus and Grizzly (WebSocket, socket I/O)', r'org\.glassfish\.tyrus|org\.glassfish\.grizzly|sun\.nio\.ch|java\.nio'),
]


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit(__doc__)
    window = argv[2:4]
    text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', argv[1]],
                          capture_output=True, text=True, check=True).stdout
    shares, threads, total = collections.Counter(), collections.Counter(), 0
    for event in text.split('jdk.ExecutionSample')[1:]:
        start = re.search(r'startTime = (\d\d:\d\d:\d\d)', event)
        if window and (not start or not window[0] <= start.group(1) <= window[1]):
            continue
        frames = re.findall(r'^\s+([\w.$<>]+)\(', event, re.M)
        if not frames:
            continue
        total += 1
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        threads[re.sub(r'\d+', 'N', thread.group(1)) if thread else '?'] += 1
        shares[next((name for frame in frames for name, rx in COMPONENTS if re.search(rx, frame)),
                    'other (JDK, JIT, GC)')] += 1
    print(f'{total} samples')
    for name, count in shares.most_common():
        print(f'{100 * count / total:5.1f} %  {name}')
    print('threads:')
    for name, count in threads.most_common(8):
        print(f'{100 * count / total:5.1f} %  {name}')


if __name__ == '__main__':
    main(sys.argv)
