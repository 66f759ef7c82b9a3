/*
 * stratum_thread_shim.c - helper preload that makes a .NET (NativeAOT) daemon a
 * repeatable clknetsim node.  Test-harness code only; it never ships.
 *
 * tests/sim/sim.sh appends this file to the harness's dotnet_shim.c in its
 * private copy of the harness, so it is loaded as part of dotnet_shim.so, in
 * front of clknetsim.so; it can also be built and preloaded on its own.
 *
 * clknetsim simulates one thread per node: every clock read may send a request
 * over the node's single connection to the simulation server, and (until the
 * first select/poll) adds a pseudo-random "precision" increment drawn from
 * libc random(), the same generator that feeds getrandom().  The .NET runtime
 * reads the clock from threads of its own (the finalizer thread measures the
 * cost of a spin-wait instruction with QueryPerformanceCounter; the log and
 * statistics writer threads may time a wait), so those reads race with the
 * daemon's main thread for the connection and for random(): the same seed then
 * gives a different run.  Two rules fix that:
 *
 *  1. Only the main thread (tid == pid) reads the simulated clock.  Any other
 *     thread gets the last value the main thread read for that clock, moved on
 *     by 1 us per read so that a timing loop on that thread ends; it never
 *     sends a request or draws a random number.  Those threads only format and
 *     write log and statistics lines, whose time stamps the main loop gives
 *     them, so no decision of the daemon depends on what they read.
 *
 *  2. The simulated clock stands still while a node computes.  A loop on the
 *     main thread that waits for the clock to move (the runtime's
 *     ProcessorIdCache speed check, run once, on first use of a shared array
 *     pool, doubles its work until two reads are 1 us apart) would never end.
 *     After SPIN_READS monotonic reads on the main thread with no poll() or
 *     select() between them, each further read first sleeps 2 us of simulated
 *     time (the node really waits, so every clock, true time included, moves
 *     on together), which ends such a loop at once.  The daemon's event loop
 *     reads the clock fewer times than that per wake-up (STRATUM_SHIM_STATS=1
 *     prints the largest count at exit), so its timing is not touched; the
 *     count depends only on the program's own calls, so a seed still replays.
 *
 * Build: cc -O2 -Wall -fPIC -shared -o stratum_thread_shim.so stratum_thread_shim.c -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <poll.h>
#include <pthread.h>
#include <sys/select.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);
typedef int (*nanosleep_fn)(const struct timespec *, struct timespec *);

#define CACHED_CLOCKS 8
#define SPIN_READS 16

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct timespec cache[CACHED_CLOCKS];
static int reads_since_wait;
static int most_reads_since_wait;
static long spin_sleeps;
static int in_spin_sleep;
static __thread long long thread_reads;

static void *thread_shim_next(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (!p) {
		fprintf(stderr, "stratum_thread_shim: no next %s\n", name);
		abort();
	}
	return p;
}

static int is_main_thread(void)
{
	return syscall(SYS_gettid) == getpid();
}

static int cache_slot(clockid_t id)
{
	return id >= 0 && id < CACHED_CLOCKS ? (int)id : CLOCK_REALTIME;
}

static void add_ns(struct timespec *ts, long long ns)
{
	long long total = (long long)ts->tv_nsec + ns;

	ts->tv_sec += total / 1000000000LL;
	ts->tv_nsec = total % 1000000000LL;
}

int clock_gettime(clockid_t id, struct timespec *tp)
{
	static clock_gettime_fn next_clock_gettime;
	static nanosleep_fn next_nanosleep;
	int r;

	if (!next_clock_gettime) {
		next_clock_gettime = (clock_gettime_fn)thread_shim_next("clock_gettime");
		next_nanosleep = (nanosleep_fn)thread_shim_next("nanosleep");
	}

	if (!is_main_thread()) {
		pthread_mutex_lock(&cache_lock);
		*tp = cache[cache_slot(id)];
		pthread_mutex_unlock(&cache_lock);
		add_ns(tp, ++thread_reads * 1000);
		return 0;
	}

	if (id == CLOCK_MONOTONIC && ++reads_since_wait > SPIN_READS) {
		struct timespec pause = { 0, 2000 };
		spin_sleeps++;
		in_spin_sleep = 1;	/* clknetsim's nanosleep() calls select(): not a wait of the program's own */
		next_nanosleep(&pause, NULL);
		in_spin_sleep = 0;
	}
	if (reads_since_wait > most_reads_since_wait)
		most_reads_since_wait = reads_since_wait;
	r = next_clock_gettime(id, tp);
	if (r != 0)
		return r;
	pthread_mutex_lock(&cache_lock);
	cache[cache_slot(id)] = *tp;
	pthread_mutex_unlock(&cache_lock);
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	static int (*next_gettimeofday)(struct timeval *, void *);
	struct timespec ts;

	if (is_main_thread()) {
		if (!next_gettimeofday)
			next_gettimeofday = (int (*)(struct timeval *, void *))thread_shim_next("gettimeofday");
		return next_gettimeofday(tv, tz);
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

time_t time(time_t *t)
{
	static time_t (*next_time)(time_t *);
	struct timespec ts;

	if (is_main_thread()) {
		if (!next_time)
			next_time = (time_t (*)(time_t *))thread_shim_next("time");
		return next_time(t);
	}
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (time_t)-1;
	if (t)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

/* A wait: the node hands control to the simulator, and its clocks move on. */
static void waited(void)
{
	if (is_main_thread() && !in_spin_sleep)
		reads_since_wait = 0;
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	static int (*next_poll)(struct pollfd *, nfds_t, int);

	if (!next_poll)
		next_poll = (int (*)(struct pollfd *, nfds_t, int))thread_shim_next("poll");
	waited();
	return next_poll(fds, nfds, timeout);
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout)
{
	static int (*next_select)(int, fd_set *, fd_set *, fd_set *, struct timeval *);

	if (!next_select)
		next_select = (int (*)(int, fd_set *, fd_set *, fd_set *, struct timeval *))thread_shim_next("select");
	waited();
	return next_select(nfds, readfds, writefds, exceptfds, timeout);
}

static void __attribute__((destructor)) thread_shim_stats(void)
{
	if (getenv("STRATUM_SHIM_STATS"))
		fprintf(stderr, "stratum_thread_shim: at most %d monotonic reads between waits; %ld spin sleeps\n",
			most_reads_since_wait, spin_sleeps);
}
