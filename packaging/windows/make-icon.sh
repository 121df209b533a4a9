#!/usr/bin/env bash
# Draws LogWeave's icon (a log page with a red error row and a yellow warning
# row, CMTrace's colours) with ImageMagick and writes logweave.ico with every
# size Windows asks for (16 to 256 px) and the Linux package's hicolor PNGs
# (packaging/linux/icons/). Run it again after changing the design.
set -euo pipefail
cd "$(dirname "$0")"
png=$(mktemp --suffix=.png)
convert -size 256x256 xc:none \
  -fill '#1d3f66' -draw 'roundrectangle 8,8 247,247 36,36' \
  -fill '#f4f6f8' -draw 'roundrectangle 40,36 215,219 12,12' \
  -fill '#9aa7b4' -draw 'rectangle 60,62 196,76' \
  -fill '#9aa7b4' -draw 'rectangle 60,90 176,104' \
  -fill '#d4202a' -draw 'rectangle 52,116 204,138' \
  -fill '#f2c230' -draw 'rectangle 52,150 204,172' \
  -fill '#9aa7b4' -draw 'rectangle 60,186 186,200' \
  "$png"
convert "$png" -define icon:auto-resize=256,128,64,48,32,24,16 logweave.ico
for size in 16 24 32 48 64 128 256; do
  dir="../linux/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  # -strip: no timestamps, so the PNGs only change when the drawing does.
  convert "$png" -resize "${size}x${size}" -strip "$dir/logweave.png"
done
rm -f "$png"
