#!/bin/sh
# Installs Fashion-MNIST (Zalando Research, MIT licence) from Debian's package
# dataset-fashion-mnist, where `--data fashion-mnist` looks for it. Safe to run again: an
# installed package is left as it is. Needs root or sudo for apt-get.
set -eu

PACKAGE=dataset-fashion-mnist

if dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q "install ok installed"; then
    echo "$PACKAGE is already installed"
else
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "installing $PACKAGE needs root: run this script as root or install sudo" >&2
        exit 1
    fi
    $SUDO apt-get update
    $SUDO apt-get install -y "$PACKAGE"
fi

DIR=$(dpkg -L "$PACKAGE" | grep '/train-images-idx3-ubyte' | xargs dirname)
echo "Fashion-MNIST files are in $DIR:"
ls -l "$DIR"
if [ "$DIR" != /usr/share/datasets/fashion-mnist ]; then
    echo "not the default folder: use --data fashion-mnist:$DIR"
fi
