package dev.conduit.objecttier.auth;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.conduit.objecttier.S3Error;

import static dev.conduit.objecttier.auth.AwsDocExamples.CHUNK_SIGNATURES;
import static dev.conduit.objecttier.auth.SigV4VerifierTest.assertRejected;

/** The chain on its own, fed the published chunk signatures of the S3 docs' chunked upload example. */
class ChunkSignatureChainTest
{
    private static final byte[] FULL_CHUNK = filled(65_536);
    private static final byte[] LAST_CHUNK = filled(1_024);

    @Test
    void shouldAcceptPublishedChainFedInPieces()
    {
        final ChunkSignatureChain chain = seededChain();

        chain.update(ByteBuffer.wrap(FULL_CHUNK, 0, 10));
        chain.update(ByteBuffer.wrap(FULL_CHUNK, 10, FULL_CHUNK.length - 10));
        chain.verifyChunk(CHUNK_SIGNATURES.get(0));
        chain.update(ByteBuffer.wrap(LAST_CHUNK));
        chain.verifyChunk(CHUNK_SIGNATURES.get(1).toUpperCase());
        chain.verifyChunk(CHUNK_SIGNATURES.get(2));
    }

    @Test
    void shouldRejectChunksOutOfOrder()
    {
        final ChunkSignatureChain chain = seededChain();
        chain.update(ByteBuffer.wrap(LAST_CHUNK));

        assertRejected(S3Error.SignatureDoesNotMatch, () -> chain.verifyChunk(CHUNK_SIGNATURES.get(1)));
    }

    @Test
    void shouldRejectSkippedChunkAndMalformedSignatures()
    {
        final ChunkSignatureChain skipping = seededChain();
        final ChunkSignatureChain malformed = seededChain();

        assertRejected(S3Error.SignatureDoesNotMatch, () -> skipping.verifyChunk(CHUNK_SIGNATURES.get(2)));
        assertRejected(S3Error.SignatureDoesNotMatch, () -> malformed.verifyChunk("xyz"));
        assertRejected(S3Error.SignatureDoesNotMatch, () -> malformed.verifyChunk(null));
    }

    private static ChunkSignatureChain seededChain()
    {
        return AwsDocExamples.verifier(AwsDocExamples.SIGNED_AT).verify(AwsDocExamples.chunkedPut()).chunkChain();
    }

    private static byte[] filled(final int length)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)'a');
        return bytes;
    }
}
