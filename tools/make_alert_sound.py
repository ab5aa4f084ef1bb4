"""Write resources/sounds/alert.wav: the board's alert chime (run once; the WAV is committed).

A two-note falling chime (880 Hz then 660 Hz), 0.7 s, 16-bit mono at 22,050 Hz, with a short
fade in and out on each note so it does not click. Loud enough to be heard across a reception
office, short enough to repeat every ten seconds without drowning a phone call. Kept under
50 KB so the repository stays small.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22_050
NOTES = ((880.0, 0.30), (660.0, 0.40))  # (frequency in Hz, seconds)
VOLUME = 0.6
FADE = 0.015  # seconds of fade in and out per note

OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds" / "alert.wav"


def samples() -> list[int]:
    out: list[int] = []
    for frequency, seconds in NOTES:
        count = int(RATE * seconds)
        fade = int(RATE * FADE)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            # A touch of the second harmonic makes it a chime rather than a test tone.
            t = i / RATE
            value = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(
                4 * math.pi * frequency * t
            )
            out.append(int(32767 * VOLUME * envelope * value / 1.3))
    return out


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = samples()
    with wave.open(str(OUT), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(data)}h", *data))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
