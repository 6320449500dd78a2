#!/usr/bin/env python3
"""Split a safetensors file into shards by tensor-name prefix, copying every
tensor's bytes unchanged (so f32 stays f32, bit for bit).

Why: the repository keeps files under 90 MB and all-MiniLM-L6-v2's
model.safetensors is 90.9 MB. We split it into the embeddings (~47.7 MB) and
the encoder layers + pooler (~43.2 MB); `stance` loads both shards and checks
each shard's sha256 (pinned in src/encoder/store.rs).

Usage: scripts/split-safetensors.py IN.safetensors OUT_DIR PREFIX[,PREFIX...] [PREFIX...]
  one shard per prefix list, in order, named model-0000K-of-0000N.safetensors;
  every tensor must match exactly one shard's prefixes.
Example (what produced models/encoders/all-minilm-l6-v2/):
  scripts/split-safetensors.py model.safetensors models/encoders/all-minilm-l6-v2 \
      embeddings. encoder.,pooler.
Standard library only; output is deterministic (tensors sorted by name).
"""
import json
import os
import struct
import sys


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", None)
    return header, meta, data[8 + n :]


def write(path, tensors, meta):
    """tensors: list of (name, dtype, shape, bytes), already in output order."""
    header, offset = {}, 0
    if meta is not None:
        header["__metadata__"] = meta
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the format pads the header to 8 bytes
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for *_, raw in tensors:
            f.write(raw)
    os.replace(tmp, path)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    src, out_dir, groups = sys.argv[1], sys.argv[2], [g.split(",") for g in sys.argv[3:]]
    header, meta, body = read(src)
    shards = [[] for _ in groups]
    for name in sorted(header):
        info = header[name]
        hits = [i for i, g in enumerate(groups) if any(name.startswith(p) for p in g)]
        if len(hits) != 1:
            sys.exit(f"{src}: tensor {name} matches {len(hits)} shards, want exactly 1")
        a, b = info["data_offsets"]
        shards[hits[0]].append((name, info["dtype"], info["shape"], body[a:b]))
    n = len(groups)
    for k, tensors in enumerate(shards, 1):
        write(os.path.join(out_dir, f"model-{k:05d}-of-{n:05d}.safetensors"), tensors, meta)


if __name__ == "__main__":
    main()
