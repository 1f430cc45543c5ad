/** {@code conduit tier}: bind buckets to cold S3 tiers, list and remove bindings, prefetch datasets (docs/TIERING.md). */
package dev.conduit.cli.tier;
