#!/usr/bin/env python3
"""Recomputes a club lottery draw from its published data (docs/FAIRNESS.md).

Standard library only. Example, with the test vector of the doc:
  python3 verify_draw.py --lottery 7 \
      --seed 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20 \
      --entries entries.csv --public "2026-11-26 Русское лото: 17 42 5" --places 2
entries.csv holds "ordinal,account_number" lines in ordinal order (a header is allowed),
as `lotteryctl export entries ID` writes it.
"""
import argparse
import hashlib
import hmac
import struct


def entries_hash(numbers):
    digest = bytes(32)
    for ordinal, number in enumerate(numbers):
        digest = hashlib.sha256(digest + struct.pack(">Q", ordinal) + number.encode()).digest()
    return digest


class Stream:
    """HMAC-SHA256(seed, message || u64be(i)) for i = 0, 1, ..., concatenated."""

    def __init__(self, seed, lottery, entries_digest, public_value):
        public = public_value.encode()
        self.key = seed
        self.message = (b"club-lottery/draw/v2" + struct.pack(">Q", lottery) + entries_digest
                        + struct.pack(">Q", len(public)) + public)
        self.counter = 0
        self.buffer = b""

    def take(self, count):
        while len(self.buffer) < count:
            block = hmac.new(self.key, self.message + struct.pack(">Q", self.counter),
                             hashlib.sha256).digest()
            self.buffer += block
            self.counter += 1
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken


def uniform_below(stream, bound):
    """A uniform integer in [0, bound): as few whole bytes as bound - 1 needs, big-endian,
    masked to its bit length, retried while not below bound."""
    if bound <= 1:
        return 0
    bits = (bound - 1).bit_length()
    while True:
        value = int.from_bytes(stream.take((bits + 7) // 8), "big") & ((1 << bits) - 1)
        if value < bound:
            return value


def shuffle_order(stream, size):
    """Fisher-Yates over positions 0..size-1, one step at a time: step s swaps the
    value at s with the one at s + uniform_below(size - s) and yields it."""
    displaced = {}
    for step in range(size):
        chosen_position = step + uniform_below(stream, size - step)
        chosen = displaced.get(chosen_position, chosen_position)
        if chosen_position != step:
            displaced[chosen_position] = displaced.get(step, step)
        displaced.pop(step, None)
        yield chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lottery", type=int, required=True)
    parser.add_argument("--seed", required=True, help="64 hex digits, revealed after the draw")
    parser.add_argument("--entries", required=True, help="CSV: ordinal,account_number")
    parser.add_argument("--public", default="", help="the public value, exactly as published")
    parser.add_argument("--skipped", default="", help="published skipped ordinals: 3,8,15")
    parser.add_argument("--places", type=int, required=True, help="how many winners to compute")
    args = parser.parse_args()

    seed = bytes.fromhex(args.seed)
    numbers = []
    with open(args.entries, encoding="utf-8") as entries:
        for line in entries:
            line = line.strip()
            if not line or line.startswith("ordinal"):
                continue
            ordinal, number = line.split(",")
            assert int(ordinal) == len(numbers), "entries must be in ordinal order"
            numbers.append(number)
    skipped = [int(value) for value in args.skipped.split(",") if value]

    digest = entries_hash(numbers)
    print("commitment", hashlib.sha256(seed).hexdigest())
    print("entries_hash", digest.hex())
    winners = []
    for position in shuffle_order(Stream(seed, args.lottery, digest, args.public), len(numbers)):
        if len(winners) == args.places:
            break
        if skipped and skipped[0] == position:
            skipped.pop(0)
            continue
        winners.append(position)
    for place, ordinal in enumerate(winners, start=1):
        print("winner", place, ordinal, numbers[ordinal])


if __name__ == "__main__":
    main()
