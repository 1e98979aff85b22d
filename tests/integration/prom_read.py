#!/usr/bin/env python3
"""Read a Prometheus text scrape (test_metrics.sh).

  prom_read.py get FILE NAME [LABEL=VALUE ...]   print the sample's value
                                                (0 when absent)
  prom_read.py sum FILE NAME [LABEL=VALUE ...]   sum of the samples whose
                                                labels include those given
  prom_read.py histograms FILE                  exit 1 unless every
      histogram's buckets are cumulative, end in le="+Inf" and its
      _count equals the +Inf bucket
"""
import re
import sys

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')


def unescape(v):
    return re.sub(r'\\(.)', lambda m: '\n' if m.group(1) == 'n' else m.group(1), v)


def parse(path):
    out = []
    for raw in open(path, encoding='utf-8'):
        raw = raw.rstrip('\n')
        if not raw or raw.startswith('#'):
            continue
        m = LINE.match(raw)
        if not m:
            sys.exit('unparsable line: %r' % raw)
        labels = {}
        if m.group(3):
            pos = 0
            for lm in LABEL.finditer(m.group(3)):
                if lm.start() != pos:
                    sys.exit('bad labels: %r' % raw)
                labels[lm.group(1)] = unescape(lm.group(2))
                pos = lm.end()
            if pos != len(m.group(3)):
                sys.exit('bad labels: %r' % raw)
        out.append((m.group(1), labels, float(m.group(4))))
    return out


def want(args):
    return dict(a.split('=', 1) for a in args)


def fmt(v):
    return str(int(v)) if v == int(v) else repr(v)


def histograms(samples):
    buckets = {}
    counts = {}
    for name, labels, v in samples:
        if name.endswith('_bucket'):
            key = (name[:-7], tuple(sorted((k, x) for k, x in labels.items() if k != 'le')))
            buckets.setdefault(key, []).append((labels['le'], v))
        elif name.endswith('_count'):
            counts[(name[:-6], tuple(sorted(labels.items())))] = v
    ok = bool(buckets)
    for key, bs in buckets.items():
        les = [float('inf') if le == '+Inf' else float(le) for le, _ in bs]
        vals = [v for _, v in bs]
        if les != sorted(les) or les[-1] != float('inf'):
            print('bounds not ascending to +Inf:', key); ok = False
        if any(b < a for a, b in zip(vals, vals[1:])):
            print('buckets not cumulative:', key, vals); ok = False
        if counts.get(key) != vals[-1]:
            print('_count is not the +Inf bucket:', key); ok = False
    return ok


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    samples = parse(path)
    if cmd == 'histograms':
        sys.exit(0 if histograms(samples) else 1)
    name, w = sys.argv[3], want(sys.argv[4:])
    hits = [v for n, l, v in samples if n == name and
            (l == w if cmd == 'get' else all(l.get(k) == x for k, x in w.items()))]
    if cmd == 'get' and len(hits) > 1:
        sys.exit('duplicate series %s %s' % (name, w))
    print(fmt(sum(hits)))


main()
