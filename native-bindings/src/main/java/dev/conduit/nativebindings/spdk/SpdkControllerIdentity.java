package dev.conduit.nativebindings.spdk;

/**
 * What an NVMe controller's Identify Controller data says, as SPDK read it at attach.
 *
 * @param vendorId         PCI vendor id ({@code vid}).
 * @param serialNumber     {@code sn}, trailing spaces removed.
 * @param modelNumber      {@code mn}, trailing spaces removed.
 * @param firmwareRevision {@code fr}, trailing spaces removed.
 * @param subsystemNqn     {@code subnqn}.
 * @param namespaceIds     {@code nn}: the largest namespace id.
 * @param namespaceCount   what {@code spdk_nvme_ctrlr_get_num_ns} reports (SPDK's view of {@code nn}).
 */
public record SpdkControllerIdentity(int vendorId, String serialNumber, String modelNumber, String firmwareRevision,
    String subsystemNqn, int namespaceIds, int namespaceCount)
{
}
