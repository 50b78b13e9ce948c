/*
 * uhid-bridge: turns a ciauth-virtual-key socket into a USB FIDO HID device (/dev/hidrawN)
 * through the kernel's uhid driver. Test tooling for `make test-hardware`; runs inside the
 * guest VM, never on a user's machine.
 *
 *   uhid-bridge SOCKET [VENDOR PRODUCT [BUS]]
 *   uhid-bridge --lock PATH
 *
 * Creates a uhid device (bus USB unless BUS says otherwise, e.g. 5 for Bluetooth; usage page 0xF1D0, 64-byte input and output reports, no
 * report ID) and forwards each 64-byte output report the host writes to the socket, and each
 * 64-byte report the socket sends back as an input report. On SIGTERM or SIGINT it destroys the
 * device (the key is "unplugged") and exits 0. Prints "created" on stdout once the device exists.
 *
 * With --lock it plays "another program using the key" instead: it opens PATH, holds an
 * exclusive flock on it (as libfido2 does), prints "locked", and waits for SIGTERM.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/uhid.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define REPORT 64

/* FIDO Alliance usage page, CTAPHID usage, 64-byte input and output reports, no report ID. */
static const unsigned char descriptor[] = {
    0x06, 0xd0, 0xf1, /* Usage Page (FIDO Alliance 0xF1D0) */
    0x09, 0x01,       /* Usage (CTAPHID) */
    0xa1, 0x01,       /* Collection (Application) */
    0x09, 0x20,       /*   Usage (Input Report Data) */
    0x15, 0x00,       /*   Logical Minimum (0) */
    0x26, 0xff, 0x00, /*   Logical Maximum (255) */
    0x75, 0x08,       /*   Report Size (8) */
    0x95, 0x40,       /*   Report Count (64) */
    0x81, 0x02,       /*   Input (Data, Var, Abs) */
    0x09, 0x21,       /*   Usage (Output Report Data) */
    0x15, 0x00,       /*   Logical Minimum (0) */
    0x26, 0xff, 0x00, /*   Logical Maximum (255) */
    0x75, 0x08,       /*   Report Size (8) */
    0x95, 0x40,       /*   Report Count (64) */
    0x91, 0x02,       /*   Output (Data, Var, Abs) */
    0xc0,             /* End Collection */
};

static volatile sig_atomic_t stopping;
static void on_signal(int sig) { (void)sig; stopping = 1; }

static void die(const char *what) {
    fprintf(stderr, "uhid-bridge: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int write_event(int fd, const struct uhid_event *ev) {
    ssize_t n;
    do { n = write(fd, ev, sizeof *ev); } while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof *ev ? 0 : -1;
}

static int read_full(int fd, unsigned char *buf, size_t len) {
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR) { if (stopping) return -1; continue; }
        if (n <= 0) return -1;
        got += (size_t)n;
    }
    return 0;
}

static int write_full(int fd, const unsigned char *buf, size_t len) {
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = write(fd, buf + sent, len - sent);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        sent += (size_t)n;
    }
    return 0;
}

static int hold_lock(const char *path) {
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) die(path);
    if (flock(fd, LOCK_EX) < 0) die("flock");
    printf("locked\n");
    fflush(stdout);
    while (!stopping) pause();
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (argc == 3 && strcmp(argv[1], "--lock") == 0) return hold_lock(argv[2]);
    if (argc != 2 && argc != 4 && argc != 5) {
        fprintf(stderr, "usage: uhid-bridge SOCKET [VENDOR PRODUCT [BUS]] | --lock PATH\n");
        return 2;
    }
    unsigned vendor = argc >= 4 ? (unsigned)strtoul(argv[2], NULL, 0) : 0x1209;
    unsigned bus = argc == 5 ? (unsigned)strtoul(argv[4], NULL, 0) : 0x03; /* BUS_USB */
    unsigned product = argc >= 4 ? (unsigned)strtoul(argv[3], NULL, 0) : 0xc1a0;

    int key = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (key < 0) die("socket");
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(argv[1]) >= sizeof addr.sun_path) { fprintf(stderr, "uhid-bridge: socket path too long\n"); return 2; }
    strcpy(addr.sun_path, argv[1]);
    if (connect(key, (struct sockaddr *)&addr, sizeof addr) < 0) die(argv[1]);

    int uhid = open("/dev/uhid", O_RDWR | O_CLOEXEC);
    if (uhid < 0) die("/dev/uhid");

    struct uhid_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = UHID_CREATE2;
    snprintf((char *)ev.u.create2.name, sizeof ev.u.create2.name, "ciauth TEST key %04x:%04x", vendor, product);
    snprintf((char *)ev.u.create2.phys, sizeof ev.u.create2.phys, "uhid-bridge");
    snprintf((char *)ev.u.create2.uniq, sizeof ev.u.create2.uniq, "%s", argv[1]);
    memcpy(ev.u.create2.rd_data, descriptor, sizeof descriptor);
    ev.u.create2.rd_size = sizeof descriptor;
    ev.u.create2.bus = bus;
    ev.u.create2.vendor = vendor;
    ev.u.create2.product = product;
    if (write_event(uhid, &ev) < 0) die("UHID_CREATE2");
    printf("created\n");
    fflush(stdout);

    struct pollfd fds[2] = {{.fd = uhid, .events = POLLIN}, {.fd = key, .events = POLLIN}};
    unsigned char report[REPORT];
    int status = 0;
    while (!stopping) {
        int n = poll(fds, 2, -1);
        if (n < 0) { if (errno == EINTR) continue; die("poll"); }
        if (fds[0].revents & POLLIN) {
            memset(&ev, 0, sizeof ev);
            ssize_t got = read(uhid, &ev, sizeof ev);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) die("read /dev/uhid");
            if (ev.type == UHID_OUTPUT) {
                /* The report the host wrote. hidraw passes the write on whole, so with no report
                 * IDs it starts with the report-ID byte 0: drop it. */
                const unsigned char *data = ev.u.output.data;
                size_t size = ev.u.output.size;
                if (size == REPORT + 1 && data[0] == 0) { data++; size--; }
                memset(report, 0, sizeof report);
                memcpy(report, data, size < REPORT ? size : REPORT);
                if (write_full(key, report, REPORT) < 0) { fprintf(stderr, "uhid-bridge: the key closed the socket\n"); status = 1; break; }
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (read_full(key, report, REPORT) < 0) {
                if (stopping) break;
                fprintf(stderr, "uhid-bridge: the key closed the socket\n");
                status = 1;
                break;
            }
            memset(&ev, 0, sizeof ev);
            ev.type = UHID_INPUT2;
            ev.u.input2.size = REPORT;
            memcpy(ev.u.input2.data, report, REPORT);
            if (write_event(uhid, &ev) < 0) die("UHID_INPUT2");
        }
    }

    memset(&ev, 0, sizeof ev);
    ev.type = UHID_DESTROY;
    write_event(uhid, &ev);
    close(uhid);
    close(key);
    return status;
}
