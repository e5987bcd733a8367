/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/http_sock.c: the POSIX socket helpers of the HTTP transport. Every
 * socket is non-blocking and close-on-exec, every wait is a poll() bounded
 * by a deadline on the monotonic clock, and no write can raise SIGPIPE.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "err_int.h"
#include "http_int.h"

/* see http_int.h */
uint64_t cmp_http_now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0;
    }
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* see http_int.h */
uint64_t cmp_http_deadline(uint32_t ms)
{
    return cmp_http_now_ms() + ms;
}

/* see http_int.h */
int cmp_http_poll_ms(uint64_t deadline)
{
    uint64_t now = cmp_http_now_ms();

    if (now >= deadline) {
        return 0;
    }
    return deadline - now > (uint64_t)INT_MAX ? INT_MAX : (int)(deadline - now);
}

/* see http_int.h */
void cmp_http_close(int *fd)
{
    if (*fd >= 0) {
        (void)close(*fd);
        *fd = -1;
    }
}

/* see http_int.h */
int cmp_http_set_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        return -1;
    }
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* wait_fd polls |fd| for |events| until |deadline|. OK when ready. */
static cmp_err wait_fd(int fd, short events, uint64_t deadline)
{
    for (;;) {
        struct pollfd pfd;
        int rc;

        pfd.fd = fd;
        pfd.events = events;
        pfd.revents = 0;
        rc = poll(&pfd, 1, cmp_http_poll_ms(deadline));
        if (rc > 0) {
            return CMP_OK;
        }
        if (rc == 0) {
            CMP_FAIL(CMP_ERR_TIMEOUT);
        }
        CMP_ENSURE(errno == EINTR, CMP_ERR_IO);
    }
}

/* connect_one tries one address. CMP_ERR_CONNECT lets the caller try the
 * next one; CMP_ERR_TIMEOUT ends the attempt. */
static cmp_err connect_one(int *out_fd, const struct addrinfo *ai, uint64_t deadline)
{
    int fd = -1, so_err = 0, one = 1;
    socklen_t so_len = sizeof(so_err);
    cmp_err err = CMP_ERR_CONNECT;

    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    CMP_ENSURE_OUT(fd >= 0, CMP_ERR_CONNECT);
    CMP_ENSURE_OUT(cmp_http_set_flags(fd) == 0, CMP_ERR_IO);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        CMP_ENSURE_OUT(errno == EINPROGRESS || errno == EINTR, CMP_ERR_CONNECT);
        CMP_TRY_OUT(wait_fd(fd, POLLOUT, deadline));
        CMP_ENSURE_OUT(getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_err, &so_len) == 0,
                       CMP_ERR_CONNECT);
        CMP_ENSURE_OUT(so_err == 0, CMP_ERR_CONNECT);
    }
    /* The request goes out in one write and then we wait: Nagle would
     * only add delay. */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    *out_fd = fd;
    fd = -1;
    err = CMP_OK;
out:
    cmp_http_close(&fd);
    return err;
}

/* see http_int.h */
cmp_err cmp_http_connect(int *out_fd, const char *host, uint16_t port, int numeric,
                         uint64_t deadline)
{
    struct addrinfo hints, *res = NULL, *ai;
    char serv[8];
    cmp_err err = CMP_ERR_CONNECT;

    *out_fd = -1;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (numeric ? AI_NUMERICHOST : 0);
    (void)snprintf(serv, sizeof(serv), "%u", (unsigned)port);
    CMP_ENSURE_OUT(getaddrinfo(host, serv, &hints, &res) == 0 && res != NULL, CMP_ERR_CONNECT);
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        err = connect_one(out_fd, ai, deadline);
        if (err != CMP_ERR_CONNECT) {
            break;
        }
    }
out:
    if (res != NULL) {
        freeaddrinfo(res);
    }
    if (err != CMP_OK) {
        CMP_TRACE_(err);
    }
    return err;
}

/* see http_int.h */
cmp_err cmp_http_send_all(int fd, const uint8_t *a, size_t len, const uint8_t *b, size_t b_len,
                          uint64_t deadline)
{
    size_t off = 0;

    while (len > 0 || b_len > 0) {
        struct iovec iov[2];
        struct msghdr msg;
        ssize_t n;

        memset(&msg, 0, sizeof(msg));
        iov[0].iov_base = (void *)(uintptr_t)(a + off);
        iov[0].iov_len = len;
        iov[1].iov_base = (void *)(uintptr_t)b;
        iov[1].iov_len = b_len;
        msg.msg_iov = len > 0 ? iov : iov + 1;
        msg.msg_iovlen = len > 0 && b_len > 0 ? 2 : 1;
        n = sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n >= 0) {
            size_t done = (size_t)n, first = done < len ? done : len;

            off += first;
            len -= first;
            b += done - first;
            b_len -= done - first;
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            CMP_TRY(wait_fd(fd, POLLOUT, deadline));
            continue;
        }
        CMP_ENSURE(errno != EPIPE && errno != ECONNRESET, CMP_ERR_CLOSED);
        CMP_FAIL(CMP_ERR_IO);
    }
    return CMP_OK;
}

/* see http_int.h */
cmp_err cmp_http_recv_some(int fd, uint8_t *p, size_t cap, size_t *out_n, uint64_t deadline)
{
    *out_n = 0;
    for (;;) {
        ssize_t n = recv(fd, p, cap, 0);

        if (n >= 0) {
            *out_n = (size_t)n;
            return CMP_OK;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            CMP_TRY(wait_fd(fd, POLLIN, deadline));
            continue;
        }
        CMP_ENSURE(errno != ECONNRESET, CMP_ERR_CLOSED);
        CMP_FAIL(CMP_ERR_IO);
    }
}

/* see http_int.h */
int cmp_http_readable(int fd)
{
    struct pollfd pfd;

    pfd.fd = fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    return poll(&pfd, 1, 0) != 0;
}

/* bound_port reads the port a socket is bound to. */
static cmp_err bound_port(uint16_t *out, int fd)
{
    struct sockaddr_storage ss;
    socklen_t ss_len = sizeof(ss);

    CMP_ENSURE(getsockname(fd, (struct sockaddr *)&ss, &ss_len) == 0, CMP_ERR_IO);
    if (ss.ss_family == AF_INET) {
        *out = ntohs(((const struct sockaddr_in *)&ss)->sin_port);
        return CMP_OK;
    }
    CMP_ENSURE(ss.ss_family == AF_INET6, CMP_ERR_IO);
    *out = ntohs(((const struct sockaddr_in6 *)&ss)->sin6_port);
    return CMP_OK;
}

/* listen_one binds and listens on one address. */
static cmp_err listen_one(int *out_fd, const struct addrinfo *ai, int backlog)
{
    int fd = -1, one = 1;
    cmp_err err = CMP_ERR_CONNECT;

    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    CMP_ENSURE_OUT(fd >= 0, CMP_ERR_CONNECT);
    CMP_ENSURE_OUT(cmp_http_set_flags(fd) == 0, CMP_ERR_IO);
    /* restart without waiting for TIME_WAIT to pass */
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    CMP_ENSURE_OUT(bind(fd, ai->ai_addr, ai->ai_addrlen) == 0, CMP_ERR_CONNECT);
    CMP_ENSURE_OUT(listen(fd, backlog) == 0, CMP_ERR_CONNECT);
    *out_fd = fd;
    fd = -1;
    err = CMP_OK;
out:
    cmp_http_close(&fd);
    return err;
}

/* see http_int.h */
cmp_err cmp_http_listen(int *out_fd, uint16_t *out_port, const char *host, uint16_t port,
                        int backlog)
{
    struct addrinfo hints, *res = NULL, *ai;
    char serv[8];
    cmp_err err = CMP_ERR_CONNECT;

    *out_fd = -1;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    (void)snprintf(serv, sizeof(serv), "%u", (unsigned)port);
    CMP_ENSURE_OUT(getaddrinfo(host, serv, &hints, &res) == 0 && res != NULL, CMP_ERR_CONNECT);
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        err = listen_one(out_fd, ai, backlog);
        if (err == CMP_OK) {
            break;
        }
    }
    CMP_TRY_OUT(err);
    err = bound_port(out_port, *out_fd);
    if (err != CMP_OK) {
        cmp_http_close(out_fd);
    }
out:
    if (res != NULL) {
        freeaddrinfo(res);
    }
    return err;
}

/* see http_int.h */
int cmp_http_accept(int listen_fd)
{
    int fd, one = 1;

    do {
        fd = accept(listen_fd, NULL, NULL);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return -1;
    }
    if (cmp_http_set_flags(fd) != 0) {
        (void)close(fd);
        errno = EIO;
        return -1;
    }
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}
