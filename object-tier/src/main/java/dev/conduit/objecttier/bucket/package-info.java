/** S3 buckets, objects, tags and multipart uploads mapped onto one Conduit store. */
package dev.conduit.objecttier.bucket;
