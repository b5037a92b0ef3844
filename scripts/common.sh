# Sourced by the scripts: one target directory outside the checkout, shared by every
# build, test and CI run, so a rebuild after a small change is incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/medchain-target}"
