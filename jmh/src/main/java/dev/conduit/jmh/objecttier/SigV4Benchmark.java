package dev.conduit.jmh.objecttier;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.conduit.objecttier.auth.AuthResult;
import dev.conduit.objecttier.auth.Credentials;
import dev.conduit.objecttier.auth.SigV4Verifier;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 verification of one GET, as the server does it for every request: {@code header} is signed
 * as the bench's load generator signs (Authorization header, UNSIGNED-PAYLOAD), {@code presigned}
 * as a presigned URL (what s3-compare's wrk runs send). Both are signed once by the AWS SDK with the
 * current time, so the benchmark must run within the 15-minute skew window. Run with
 * {@code -prof gc} for the bytes allocated per verification.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar SigV4Benchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SigV4Benchmark
{
    private static final String ACCESS_KEY = "CDKIBENCHMARK0000000";
    private static final String SECRET_KEY = "bench-secret-0123456789abcdefghijklmnopqr";
    private static final String REGION = "us-east-1";
    private static final String ENDPOINT = "http://127.0.0.1:9400";

    @Param({"header", "presigned"})
    public String auth;

    private SigV4Verifier verifier;
    private HttpRequest request;

    /** Signs the request once. */
    @Setup
    public void setUp()
    {
        verifier = new SigV4Verifier(List.of(new Credentials(ACCESS_KEY, SECRET_KEY)), REGION, Clock.systemUTC(),
            Duration.ofMinutes(15));
        final SdkHttpRequest unsigned = SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(URI.create(ENDPOINT + "/bench/s4k/obj-00000042"))
            .build();
        final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
        final SdkHttpRequest signed = signer.sign(r -> r
            .identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
            .request(unsigned)
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
            .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
            .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
            .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
            .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, "presigned".equals(auth)
                ? AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING : AwsV4FamilyHttpSigner.AuthLocation.HEADER)
            .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, "presigned".equals(auth) ? Duration.ofHours(1) : null))
            .request();
        final URI uri = signed.getUri();
        request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
            uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        for (final Map.Entry<String, List<String>> header : signed.headers().entrySet())
        {
            request.headers().add(header.getKey(), header.getValue());
        }
        if (!request.headers().contains("host"))
        {
            request.headers().set("host", uri.getHost() + ":" + uri.getPort());
        }
        verify(); // fails the trial now if the signature does not verify
    }

    /** @return the verified identity. */
    @Benchmark
    public AuthResult verify()
    {
        return verifier.verify(request);
    }
}
