/*
 * Test-only: prints the sizes and offsets of the io_uring uapi structs as the C compiler sees
 * them, one "name value" per line, so DescriptorLayoutTest can compare the Java descriptors with
 * the kernel header instead of with numbers copied by hand.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/io_uring.h>

#define SIZE(type) printf("%s.size %zu\n", #type, sizeof(struct type))
#define OFF(type, field) printf("%s.%s %zu\n", #type, #field, offsetof(struct type, field))

int main(void)
{
    SIZE(io_uring_params);
    OFF(io_uring_params, sq_entries);
    OFF(io_uring_params, cq_entries);
    OFF(io_uring_params, flags);
    OFF(io_uring_params, sq_thread_idle);
    OFF(io_uring_params, features);
    OFF(io_uring_params, sq_off.head);
    OFF(io_uring_params, sq_off.tail);
    OFF(io_uring_params, sq_off.ring_mask);
    OFF(io_uring_params, sq_off.ring_entries);
    OFF(io_uring_params, sq_off.flags);
    OFF(io_uring_params, sq_off.dropped);
    OFF(io_uring_params, sq_off.array);
    OFF(io_uring_params, cq_off.head);
    OFF(io_uring_params, cq_off.tail);
    OFF(io_uring_params, cq_off.ring_mask);
    OFF(io_uring_params, cq_off.ring_entries);
    OFF(io_uring_params, cq_off.overflow);
    OFF(io_uring_params, cq_off.cqes);

    SIZE(io_uring_sqe);
    OFF(io_uring_sqe, opcode);
    OFF(io_uring_sqe, flags);
    OFF(io_uring_sqe, ioprio);
    OFF(io_uring_sqe, fd);
    OFF(io_uring_sqe, off);
    OFF(io_uring_sqe, addr);
    OFF(io_uring_sqe, len);
    OFF(io_uring_sqe, rw_flags);
    OFF(io_uring_sqe, fsync_flags);
    OFF(io_uring_sqe, user_data);
    OFF(io_uring_sqe, buf_index);
    OFF(io_uring_sqe, personality);
    OFF(io_uring_sqe, file_index);
    OFF(io_uring_sqe, addr3);

    SIZE(io_uring_cqe);
    OFF(io_uring_cqe, user_data);
    OFF(io_uring_cqe, res);
    OFF(io_uring_cqe, flags);

    SIZE(io_uring_probe);
    SIZE(io_uring_probe_op);
    OFF(io_uring_probe, last_op);
    OFF(io_uring_probe, ops_len);
    OFF(io_uring_probe_op, op);
    OFF(io_uring_probe_op, flags);

    printf("IORING_OFF_CQ_RING %llu\n", (unsigned long long)IORING_OFF_CQ_RING);
    printf("IORING_OFF_SQES %llu\n", (unsigned long long)IORING_OFF_SQES);
    printf("IORING_OP_READ %d\n", IORING_OP_READ);
    printf("IORING_OP_WRITE %d\n", IORING_OP_WRITE);
    printf("IORING_OP_READ_FIXED %d\n", IORING_OP_READ_FIXED);
    printf("IORING_OP_FSYNC %d\n", IORING_OP_FSYNC);
    printf("IORING_REGISTER_PROBE %d\n", IORING_REGISTER_PROBE);
    printf("IORING_SETUP_SQPOLL %u\n", IORING_SETUP_SQPOLL);
    printf("IORING_SQ_CQ_OVERFLOW %u\n", IORING_SQ_CQ_OVERFLOW);
    printf("IOSQE_FIXED_FILE %u\n", IOSQE_FIXED_FILE);
    return 0;
}
