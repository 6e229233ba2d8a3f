#!/usr/bin/env python3
"""Render a tmux capture (`tmux capture-pane -p -e`) to a PNG, colours included.

Usage: ansi2png.py CAPTURE.txt OUT.png --cols 100 --rows 30
Needs Pillow and pyte (PyPI); fonts from Debian's fonts-dejavu-core, fonts-noto-cjk and
fonts-noto-color-emoji (CJK and emoji fall back to those when present).
"""
import argparse
import os
import unicodedata

import pyte
from PIL import Image, ImageDraw, ImageFont

FONT_SIZE = 16
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
# The spinner's braille patterns are not in the monospace face.
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
EMOJI = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"

# A dark theme close to common terminal defaults.
PALETTE = {
    "black": (40, 42, 54), "red": (230, 90, 90), "green": (120, 200, 110), "brown": (225, 190, 90),
    "yellow": (225, 190, 90), "blue": (100, 150, 235), "magenta": (200, 120, 210), "cyan": (90, 200, 210),
    "white": (210, 210, 210), "brightblack": (110, 110, 120), "brightred": (255, 120, 120),
    "brightgreen": (150, 230, 140), "brightbrown": (255, 220, 120), "brightyellow": (255, 220, 120),
    "brightblue": (140, 180, 255), "brightmagenta": (230, 150, 240), "brightcyan": (130, 230, 240),
    "brightwhite": (250, 250, 250),
}
DEFAULT_FG = (220, 220, 220)
DEFAULT_BG = (24, 26, 33)


def colour(name, default):
    if name == "default":
        return default
    if name in PALETTE:
        return PALETTE[name]
    if len(name) == 6:
        try:
            return tuple(int(name[i:i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            pass
    return default


def load(path, size):
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return None


def is_emoji(ch):
    cp = ord(ch)
    return 0x1F300 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("capture")
    parser.add_argument("out")
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--rows", type=int, default=30)
    args = parser.parse_args()

    screen = pyte.Screen(args.cols, args.rows)
    stream = pyte.Stream(screen)
    with open(args.capture, encoding="utf-8", errors="replace") as f:
        text = f.read()
    lines = text.split("\n")[: args.rows]
    stream.feed("\r\n".join(lines))

    mono = load(MONO, FONT_SIZE)
    bold = load(MONO_BOLD, FONT_SIZE) or mono
    sans = load(SANS, FONT_SIZE) or mono
    cjk = load(CJK, FONT_SIZE) if os.path.exists(CJK) else None
    emoji = None
    if os.path.exists(EMOJI):
        try:
            emoji = ImageFont.truetype(EMOJI, 109)
        except OSError:
            emoji = None
    left, top, right, bottom = mono.getbbox("M")
    cw = mono.getlength("M")
    ch = FONT_SIZE + 4
    pad = 10
    image = Image.new("RGB", (int(cw * args.cols) + 2 * pad, ch * args.rows + 2 * pad), DEFAULT_BG)
    draw = ImageDraw.Draw(image)

    for y in range(args.rows):
        line = screen.buffer[y]
        x = 0
        while x < args.cols:
            cell = line[x]
            char = cell.data or " "
            width = 2 if unicodedata.east_asian_width(char[:1] or " ") in "WF" or is_emoji(char[:1] or " ") else 1
            fg = colour(cell.fg, DEFAULT_FG)
            bg = colour(cell.bg, DEFAULT_BG)
            if cell.reverse:
                fg, bg = (bg if bg != DEFAULT_BG else DEFAULT_BG), (fg if fg != DEFAULT_FG else DEFAULT_FG)
                if cell.bg == "default" and cell.fg == "default":
                    fg, bg = DEFAULT_BG, DEFAULT_FG
            px = pad + int(x * cw)
            py = pad + y * ch
            draw.rectangle([px, py, px + int(cw * width), py + ch], fill=bg)
            if char.strip():
                if emoji is not None and is_emoji(char[:1]):
                    glyph = Image.new("RGBA", (136, 128), (0, 0, 0, 0))
                    ImageDraw.Draw(glyph).text((0, 0), char, font=emoji, embedded_color=True)
                    glyph = glyph.resize((int(cw * 2), ch))
                    image.paste(glyph, (px, py), glyph)
                elif cjk is not None and width == 2:
                    draw.text((px, py), char, font=cjk, fill=fg)
                elif 0x2800 <= ord(char[:1]) <= 0x28FF:
                    draw.text((px, py + 1), char, font=sans, fill=fg)
                else:
                    draw.text((px, py + 1), char, font=bold if cell.bold else mono, fill=fg)
                if cell.underscore:
                    draw.line([px, py + ch - 2, px + int(cw * width), py + ch - 2], fill=fg)
            x += width
    image.save(args.out)


if __name__ == "__main__":
    main()
