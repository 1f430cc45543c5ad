package dev.conduit.jmh.blocklayout;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import dev.conduit.blocklayout.ObjectMetadata;

/**
 * The catalog dataset with S3-style metadata on every object, as object-tier stores it: a tag
 * {@code t:stage} ({@code tested} on one object in a thousand, else {@code draft}), a loss
 * {@code m:loss} uniform in [0, 1) with three decimals, and one of ten {@code m:model} names. The
 * query "tested with loss below 0.3" then matches about 0.03 % of the objects.
 */
final class SearchDataset
{
    private static final String[] MODELS = {"resnet50", "resnet101", "vit-b16", "vit-l14", "llama-7b",
        "llama-13b", "bert-base", "bert-large", "t5-small", "t5-base"};

    private SearchDataset()
    {
    }

    /**
     * @param objects how many objects.
     * @return the data directory holding them.
     */
    static Path ensure(final int objects)
    {
        return CatalogDataset.ensure("search-", objects, SearchDataset::metadata);
    }

    static ObjectMetadata metadata(final int i)
    {
        final SplittableRandom random = new SplittableRandom(i);
        return new ObjectMetadata("", Map.of(
            "t:stage", i % 1000 == 7 ? "tested" : "draft",
            "m:loss", String.format(Locale.ROOT, "%.3f", random.nextDouble()),
            "m:model", MODELS[random.nextInt(MODELS.length)]));
    }
}
