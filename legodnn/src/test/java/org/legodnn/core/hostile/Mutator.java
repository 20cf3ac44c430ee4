package org.legodnn.core.hostile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic corruptions of a valid file, as a disk, a download or an attacker makes them: flipped bits,
 * bytes and words set to boundary values, truncation, duplicated or zeroed ranges, and for text files numbers
 * replaced by extreme ones. Half of the binary edits land in the first 256 bytes, where the headers are.
 */
final class Mutator {

    private static final long[] INTERESTING = {0, -1, 1, 2, 255, 256, 65535, 65536, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 1L << 31, 1L << 32, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, 0x7fffffffffffL};
    private static final String[] NUMBERS = {"1e300", "-1", "NaN", "Infinity", "2.5", "99999999999", "0", "-0.0",
        "1e-320", "4294967309", "", "x"};
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private Mutator() {
    }

    /** Corruption number {@code k} of {@code valid} (binary), the same for the same arguments. */
    static byte[] binary(byte[] valid, long seed, int k) {
        Random r = new Random(seed * 1_000_003L + k);
        byte[] b = valid.clone();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextBoolean() ? r.nextInt(Math.min(256, b.length)) : r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0xff, 0x7f, 0x80}[r.nextInt(4)];
                case 2 -> {
                    ByteBuffer w = ByteBuffer.allocate(8).order(r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                            .putLong(INTERESTING[r.nextInt(INTERESTING.length)]);
                    int width = r.nextBoolean() ? 4 : 8;
                    for (int i = 0; i < width && at + i < b.length; i++) {
                        b[at + i] = w.get(w.order() == ByteOrder.LITTLE_ENDIAN ? i : 8 - width + i);
                    }
                }
                case 3 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 5 -> Arrays.fill(b, at, Math.min(b.length, at + 1 + r.nextInt(32)), (byte) 0);
                default -> {
                    byte[] junk = new byte[1 + r.nextInt(16)];
                    r.nextBytes(junk);
                    byte[] out = new byte[b.length + junk.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(junk, 0, out, at, junk.length);
                    System.arraycopy(b, at, out, at + junk.length, b.length - at);
                    b = out;
                }
            }
        }
        return b;
    }

    /** Corruption number {@code k} of a text file: a number replaced by an extreme value, or a binary edit. */
    static byte[] text(byte[] valid, long seed, int k) {
        Random r = new Random(seed * 1_000_003L + k);
        if (r.nextInt(3) == 0) {
            return binary(valid, seed, k);
        }
        String s = new String(valid, StandardCharsets.UTF_8);
        Matcher m = NUMBER.matcher(s);
        int count = 0;
        while (m.find()) {
            count++;
        }
        if (count == 0) {
            return binary(valid, seed, k);
        }
        int pick = r.nextInt(count);
        m.reset();
        for (int i = 0; i <= pick; i++) {
            m.find();
        }
        return (s.substring(0, m.start()) + NUMBERS[r.nextInt(NUMBERS.length)] + s.substring(m.end()))
                .getBytes(StandardCharsets.UTF_8);
    }
}
