package dev.conduit.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class CloseablesTest
{
    @Test
    void shouldCloseEveryResourceInOrderAndKeepTheFirstFailure()
    {
        final List<String> closed = new ArrayList<>();
        final IllegalStateException first = new IllegalStateException("first");
        final RuntimeException failure = Closeables.closeAll(null, Arrays.asList(
            () -> closed.add("a"),
            () -> { closed.add("b"); throw first; },
            null,
            () -> { closed.add("c"); throw new IOException("second"); },
            () -> closed.add("d")));
        assertEquals(List.of("a", "b", "c", "d"), closed, "a failure does not stop the others");
        assertSame(first, failure);
        assertEquals(1, failure.getSuppressed().length);
        assertInstanceOf(IOException.class, failure.getSuppressed()[0]);
    }

    @Test
    void shouldAddFailuresToThePrimaryOneAndReturnNullWhenAllClose()
    {
        final RuntimeException primary = new RuntimeException("open failed");
        final RuntimeException failure = Closeables.closeAll(primary, List.<AutoCloseable>of(() -> { throw new IOException("x"); }));
        assertSame(primary, failure);
        assertEquals(1, primary.getSuppressed().length);
        assertNull(Closeables.closeAll(null, List.<AutoCloseable>of(() -> { })));
    }

    @Test
    void shouldWrapACheckedFirstFailure()
    {
        final RuntimeException failure = Closeables.closeAll(null, List.<AutoCloseable>of(() -> { throw new IOException("disk"); }));
        assertInstanceOf(IllegalStateException.class, failure);
        assertInstanceOf(IOException.class, failure.getCause());
    }
}
