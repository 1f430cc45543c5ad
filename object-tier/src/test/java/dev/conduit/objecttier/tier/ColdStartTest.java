package dev.conduit.objecttier.tier;

import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a one-shot command's cold client leaves out: TLS set-up for a plain-HTTP endpoint, and virtual threads on sockets. */
@Timeout(10)
class ColdStartTest
{
    @Test
    void shouldRefuseTlsOnlyForAPlainHttpEndpoint() throws Exception
    {
        assertNull(PlainHttpOnly.forEndpoint(URI.create("https://s3.example.com")), "https keeps the SDK's TLS");
        final TlsSocketStrategy plain = PlainHttpOnly.forEndpoint(URI.create("HTTP://127.0.0.1:9000"));
        assertNotNull(plain);
        try (Socket socket = new Socket())
        {
            final SSLException refused = assertThrows(SSLException.class, () -> plain.upgrade(socket, "other.example.com", 443, null, null));
            assertTrue(refused.getMessage().contains("plain HTTP"), refused.getMessage());
        }
    }

    @Test
    void shouldMakeVirtualThreadsForAServerAndPlatformDaemonsForACommand() throws Exception
    {
        assertTrue(started(ColdThreads.VIRTUAL).isVirtual());
        final Thread platform = started(ColdThreads.PLATFORM);
        assertFalse(platform.isVirtual());
        assertTrue(platform.isDaemon(), "a command's exit never waits for a cold read");
        assertEquals("conduit-cold-test", platform.getName());
    }

    private static Thread started(final ColdThreads kind) throws InterruptedException
    {
        final AtomicReference<Thread> ran = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);
        final Thread thread = kind.factory("conduit-cold-test").newThread(() ->
        {
            ran.set(Thread.currentThread());
            done.countDown();
        });
        thread.start();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        thread.join();
        return ran.get();
    }
}
