/*
 * xleave-probe.c - measures what an NTP client on the same host sees of a server's timestamps, in the
 * basic and in the interleaved client/server mode (RFC 9769), at a fixed request rate.
 *
 * Build:  gcc -O2 -Wall -o xleave-probe bench/xleave-probe.c -lm
 * Usage:  xleave-probe -a 127.0.0.38 [-r RATE] [-d SECONDS] [-x]
 *
 * The client and the server share one clock, so every offset the client computes should be zero and
 * its spread is the error of the timestamps. The client side is made exact: T1 is the kernel's
 * software transmit stamp of the request (SO_TIMESTAMPING TX_SOFTWARE, read from the error queue) and
 * T4 the kernel's receive stamp of the reply, so what remains is the server's: T2 (its receive stamp)
 * and T3. In basic mode T3 is written before the reply is sent; with -x the probe asks for the
 * interleaved mode (origin = the server's receive timestamp of the last reply, receive = our T4 of
 * it) and an interleaved reply's T3 is the server's kernel transmit stamp of that last reply, which
 * completes the earlier exchange. One request outstanding at a time; each run is bounded (-d at most
 * 120 s) and stops by itself. Loopback (127.0.0.0/8) targets only. Never touches the clock.
 *
 * Output: one line with the mode, samples, interleaved share, mean and RMS offset, RMS and p99 of
 * |offset| in microseconds, and the mean delay.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NTP_UNIX_OFFSET 2208988800ULL
#define MAX_SAMPLES 1000000

struct ntp_packet {
    uint8_t li_vn_mode, stratum;
    int8_t poll, precision;
    uint32_t root_delay, root_dispersion, refid;
    uint64_t reference, origin, receive, transmit;
} __attribute__((packed));

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Unix ns <-> NTP 32.32 (this era). */
static uint64_t to_ntp(int64_t ns)
{
    uint64_t s = (uint64_t)(ns / 1000000000LL) + NTP_UNIX_OFFSET;
    uint64_t f = ((uint64_t)(ns % 1000000000LL) << 32) / 1000000000ULL;
    return (s << 32) | f;
}

static int64_t from_ntp(uint64_t t)
{
    int64_t s = (int64_t)(t >> 32) - (int64_t)NTP_UNIX_OFFSET;
    int64_t f = (int64_t)(((t & 0xffffffffULL) * 1000000000ULL) >> 32);
    return s * 1000000000LL + f;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The kernel stamp of the last datagram sent (error queue), or 0 after a few tries. */
static int64_t tx_stamp(int fd)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        char control[256], data[64];
        struct iovec iov = { data, sizeof data };
        struct msghdr msg = { 0 };
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
            struct pollfd p = { fd, 0, 0 };
            poll(&p, 1, 1);
            continue;
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
                struct timespec *ts = (struct timespec *)CMSG_DATA(c);
                return (int64_t)ts[0].tv_sec * 1000000000LL + ts[0].tv_nsec;
            }
    }
    return 0;
}

/* One reply within 100 ms with its kernel receive stamp; returns bytes or -1. */
static int receive_reply(int fd, struct ntp_packet *reply, int64_t *t4)
{
    struct pollfd p = { fd, POLLIN, 0 };
    if (poll(&p, 1, 100) <= 0)
        return -1;
    char control[256];
    struct iovec iov = { reply, sizeof *reply };
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);
    if (n < (ssize_t)sizeof *reply)
        return -1;
    *t4 = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPING) {
            struct timespec *ts = (struct timespec *)CMSG_DATA(c);
            *t4 = (int64_t)ts[0].tv_sec * 1000000000LL + ts[0].tv_nsec;
        }
    return *t4 ? (int)n : -1;
}

int main(int argc, char **argv)
{
    const char *address = NULL;
    double rate = 2000, duration = 10;
    int interleave = 0, opt;
    while ((opt = getopt(argc, argv, "a:r:d:x")) != -1) {
        switch (opt) {
        case 'a': address = optarg; break;
        case 'r': rate = atof(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'x': interleave = 1; break;
        default:
            fprintf(stderr, "usage: xleave-probe -a ADDRESS [-r RATE] [-d SECONDS] [-x]\n");
            return 2;
        }
    }
    struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons(123) };
    if (!address || inet_pton(AF_INET, address, &server.sin_addr) != 1 || (ntohl(server.sin_addr.s_addr) >> 24) != 127
        || rate <= 0 || rate > 100000 || duration <= 0 || duration > 120) {
        fprintf(stderr, "usage: xleave-probe -a 127.x.y.z [-r RATE 1..100000] [-d SECONDS 1..120] [-x]\n");
        return 2;
    }

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int flags = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_TSONLY;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) < 0
        || connect(fd, (struct sockaddr *)&server, sizeof server) < 0) {
        perror("xleave-probe: socket");
        return 1;
    }

    static double offsets[MAX_SAMPLES];
    size_t count = 0, interleaved = 0, lost = 0;
    double delay_sum = 0;
    /* The last exchange: our T1 and T4 (kernel), the server's T2. */
    int64_t last_t1 = 0, last_t4 = 0;
    uint64_t last_t2 = 0, last_t4_sent = 0;
    int64_t interval = (int64_t)(1e9 / rate), start = now_ns(), next = start;
    while (next - start < (int64_t)(duration * 1e9) && count < MAX_SAMPLES) {
        while (now_ns() < next)
            ;
        next += interval;
        struct ntp_packet request = { 0 };
        request.li_vn_mode = (4 << 3) | 3;
        uint64_t cookie = ((uint64_t)rand() << 32) ^ (uint64_t)rand() ^ (uint64_t)now_ns();
        request.transmit = htobe64(cookie);
        if (interleave && last_t2) {
            request.origin = htobe64(last_t2);
            last_t4_sent = to_ntp(last_t4);
            request.receive = htobe64(last_t4_sent);
        }
        if (send(fd, &request, sizeof request, 0) != sizeof request)
            continue;
        int64_t t1 = tx_stamp(fd), t4;
        struct ntp_packet reply;
        if (receive_reply(fd, &reply, &t4) < 0 || !t1) {
            lost++;
            last_t2 = 0;
            continue;
        }
        uint64_t origin = be64toh(reply.origin), t2 = be64toh(reply.receive), t3 = be64toh(reply.transmit);
        int is_interleaved = interleave && last_t2 && origin == last_t4_sent;
        if (!is_interleaved && origin != cookie) {
            lost++;
            continue;
        }
        /* Interleaved: T3 is the server's kernel stamp of the last reply, so the sample is that exchange's. */
        int64_t s1 = is_interleaved ? last_t1 : t1, s4 = is_interleaved ? last_t4 : t4;
        int64_t s2 = from_ntp(is_interleaved ? last_t2 : t2), s3 = from_ntp(t3);
        double offset = ((double)(s2 - s1) + (double)(s3 - s4)) / 2.0;
        double delay = (double)(s4 - s1) - (double)(s3 - s2);
        if (!interleave || is_interleaved) {
            offsets[count++] = offset;
            delay_sum += delay;
            interleaved += is_interleaved;
        }
        last_t1 = t1;
        last_t4 = t4;
        last_t2 = t2;
    }

    if (count == 0) {
        printf("xleave-probe: no samples (lost %zu)\n", lost);
        return 1;
    }
    double sum = 0, square = 0;
    static double magnitudes[MAX_SAMPLES];
    for (size_t i = 0; i < count; i++) {
        sum += offsets[i];
        square += offsets[i] * offsets[i];
        magnitudes[i] = fabs(offsets[i]);
    }
    qsort(magnitudes, count, sizeof magnitudes[0], cmp_double);
    printf("mode=%s rate=%.0f samples=%zu interleaved=%zu lost=%zu offset_mean_us=%+.3f offset_rms_us=%.3f abs_p99_us=%.3f delay_mean_us=%.3f\n",
           interleave ? "interleaved" : "basic", rate, count, interleaved, lost, sum / count / 1e3, sqrt(square / count) / 1e3,
           magnitudes[(size_t)(0.99 * (count - 1))] / 1e3, delay_sum / count / 1e3);
    return 0;
}
