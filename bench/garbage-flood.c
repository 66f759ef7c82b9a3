/* garbage-flood.c - a bounded flood of hostile datagrams at an NTP server on loopback, for the
 * issue 6 benchmark (bench/RESULTS.md): random bytes, truncated NTP headers, mode 6 and mode 7
 * junk, mode 3 requests with junk extension fields, and replayed mode 4 replies / RATE kisses,
 * from many source addresses (127.1.x.y) and ports. It never reads replies.
 *
 *   gcc -O2 -Wall -o garbage-flood garbage-flood.c
 *   garbage-flood -a 127.0.0.20 [-p 123] [-d SEC] [-r RATE] [-A SOURCES] [-s SOCKETS_PER_SOURCE]
 *
 * Bounds: -d at most 120 s, at most 100M datagrams, targets only in 127.0.0.0/8, sources only
 * 127.1.0.0/16 (at most 4096 addresses). -r 0 sends as fast as one core allows (sendmmsg, 64 per
 * call). Prints one line: "sent N (R/s) errors E" and per-kind counts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAX_LEN 600
#define MAX_SOCKS 8192

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}
static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

enum { K_RANDOM, K_SHORT, K_MODE6, K_MODE7, K_EXT, K_REPLAY, K_KINDS };
static const char *kind_name[K_KINDS] = { "random", "truncated", "mode6", "mode7", "mode3+junk-ext", "replay/kod" };

static size_t make(uint8_t *p, int kind) {
    size_t n, i;
    switch (kind) {
    case K_RANDOM: n = 1 + rnd() % MAX_LEN; for (i = 0; i < n; i++) p[i] = (uint8_t)rnd(); return n;
    case K_SHORT:  n = 1 + rnd() % 47; for (i = 0; i < n; i++) p[i] = (uint8_t)rnd(); p[0] = 0x23; return n;
    case K_MODE6:  n = 12 + rnd() % 480; for (i = 0; i < n; i++) p[i] = (uint8_t)rnd(); p[0] = (p[0] & 0x38) | 6; return n;
    case K_MODE7:  n = 8 + rnd() % 480; for (i = 0; i < n; i++) p[i] = (uint8_t)rnd(); p[0] = (p[0] & 0xb8) | 7; return n;
    case K_EXT:    n = 52 + 4 * (rnd() % 100); for (i = 0; i < n; i++) p[i] = (uint8_t)rnd(); p[0] = 0x23; return n;
    default:       n = 48; for (i = 0; i < n; i++) p[i] = (uint8_t)rnd(); p[0] = 0x24; /* mode 4 */
                   if (rnd() % 2) { p[0] = 0xe4; p[1] = 0; memcpy(p + 12, "RATE", 4); } return n;
    }
}

int main(int argc, char **argv) {
    const char *addr = NULL; int port = 123, sources = 256, per_source = 1, c; double dur = 10, rate = 0;
    while ((c = getopt(argc, argv, "a:p:d:r:A:s:")) != -1) {
        switch (c) {
        case 'a': addr = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'd': dur = atof(optarg); break;
        case 'r': rate = atof(optarg); break;
        case 'A': sources = atoi(optarg); break;
        case 's': per_source = atoi(optarg); break;
        default: fprintf(stderr, "usage: garbage-flood -a ADDR [-p PORT] [-d SEC] [-r RATE] [-A SOURCES] [-s SOCKETS_PER_SOURCE]\n"); return 2;
        }
    }
    struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(port) };
    if (!addr || inet_pton(AF_INET, addr, &dst.sin_addr) != 1 || (ntohl(dst.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "garbage-flood: -a must be an address in 127.0.0.0/8\n"); return 2;
    }
    if (dur <= 0 || dur > 120) dur = 120;
    if (sources < 1 || sources > 4096) sources = 256;
    if (per_source < 1 || sources * per_source > MAX_SOCKS) per_source = 1;
    int nsock = sources * per_source, *fds = calloc(nsock, sizeof(int));
    for (int i = 0; i < nsock; i++) {
        int s = i / per_source;
        struct sockaddr_in src = { .sin_family = AF_INET };
        src.sin_addr.s_addr = htonl(0x7f010000u | (uint32_t)(1 + s)); /* 127.1.0.1 ... */
        fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&src, sizeof src) < 0 ||
            connect(fds[i], (struct sockaddr *)&dst, sizeof dst) < 0) { perror("garbage-flood: socket"); return 1; }
    }
    rng_state ^= (uint64_t)getpid() << 32 ^ (uint64_t)(now_s() * 1e9);
    static uint8_t bufs[BATCH][MAX_LEN];
    struct iovec iov[BATCH]; struct mmsghdr msgs[BATCH];
    uint64_t sent = 0, errors = 0, kinds[K_KINDS] = {0}, cap = 100000000ULL;
    double t0 = now_s(), end = t0 + dur;
    for (uint64_t round = 0; sent < cap; round++) {
        double t = now_s();
        if (t >= end) break;
        if (rate > 0 && sent >= (t - t0) * rate) { struct timespec ts = {0, 50000}; nanosleep(&ts, NULL); continue; }
        int fd = fds[round % nsock];
        for (int i = 0; i < BATCH; i++) {
            int kind = rnd() % K_KINDS; kinds[kind]++;
            iov[i].iov_base = bufs[i]; iov[i].iov_len = make(bufs[i], kind);
            memset(&msgs[i], 0, sizeof msgs[i]); msgs[i].msg_hdr.msg_iov = &iov[i]; msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int n = sendmmsg(fd, msgs, BATCH, 0);
        if (n < 0) { errors += BATCH; if (errno != EAGAIN && errno != ECONNREFUSED) { perror("garbage-flood: sendmmsg"); break; } }
        else { sent += n; errors += BATCH - n; }
    }
    double el = now_s() - t0;
    printf("sent %llu (%.0f/s) over %.1f s from %d sockets on %d addresses, errors/unsent %llu;",
           (unsigned long long)sent, sent / el, el, nsock, sources, (unsigned long long)errors);
    for (int k = 0; k < K_KINDS; k++) printf(" %s %llu", kind_name[k], (unsigned long long)kinds[k]);
    printf("\n");
    return 0;
}
