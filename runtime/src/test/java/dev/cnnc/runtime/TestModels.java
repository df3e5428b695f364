package dev.cnnc.runtime;

/** Helpers for the hand-written test models. */
final class TestModels {
    private TestModels() {
    }

    /** 64-bit FNV-1a of the text: a stand-in for the generator's architecture hash. */
    static long fnv1a(String text) {
        long hash = 0xCBF29CE484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001B3L;
        }
        return hash;
    }
}
