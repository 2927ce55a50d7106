/*
 * libfido2 (Debian libfido2-dev) as a client of Breakglass's virtual authenticator.
 *
 * No /dev/uhid on CI, so libfido2's own I/O hook (fido_dev_set_io_functions) carries its HID
 * reports over a Unix socket to the node test hosting the virtual key. Everything else is
 * libfido2: CTAPHID framing, getInfo parsing, the PIN token (its choice of PIN/UV protocol),
 * makeCredential with packed attestation verified by fido_cred_verify, and assertions verified by
 * fido_assert_verify. One "name value" line per result on stdout for the test to judge.
 *
 * usage: libfido2_client SOCKET_PATH PIN
 */
#include <fido.h>
#include <fido/es256.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <poll.h>

static void *sock_open(const char *path) {
	int *fd = malloc(sizeof(int));
	struct sockaddr_un addr;
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
	*fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (*fd < 0 || connect(*fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
		free(fd);
		return NULL;
	}
	return fd;
}

static void sock_close(void *h) {
	close(*(int *)h);
	free(h);
}

/* One 64-byte input report, or 0 bytes read after ms (libfido2 then retries). */
static int sock_read(void *h, unsigned char *buf, size_t len, int ms) {
	int fd = *(int *)h;
	size_t got = 0;
	struct pollfd p = {fd, POLLIN, 0};
	if (poll(&p, 1, ms < 0 ? -1 : ms) <= 0)
		return -1;
	while (got < 64) {
		ssize_t n = read(fd, buf + got, 64 - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return len < 64 ? -1 : 64;
}

/* libfido2 writes the report-ID byte 0x00 first, as to a hidraw device: the socket carries 64. */
static int sock_write(void *h, const unsigned char *buf, size_t len) {
	if (len != 65 || buf[0] != 0)
		return -1;
	if (write(*(int *)h, buf + 1, 64) != 64)
		return -1;
	return (int)len;
}

static fido_dev_t *open_dev(const char *path) {
	fido_dev_io_t io = {sock_open, sock_close, sock_read, sock_write};
	fido_dev_t *dev = fido_dev_new();
	int r;
	if (dev == NULL || fido_dev_set_io_functions(dev, &io) != FIDO_OK)
		exit(2);
	if ((r = fido_dev_open(dev, path)) != FIDO_OK) {
		printf("open %s\n", fido_strerr(r));
		exit(1);
	}
	return dev;
}

static int assertion(fido_dev_t *dev, const fido_cred_t *cred, const char *pin, const char *label) {
	unsigned char cdh[32];
	fido_assert_t *a = fido_assert_new();
	es256_pk_t *pk = es256_pk_new();
	int r;
	memset(cdh, label[0], sizeof(cdh));
	fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh));
	fido_assert_set_rp(a, "breakglass.local");
	fido_assert_allow_cred(a, fido_cred_id_ptr(cred), fido_cred_id_len(cred));
	r = fido_dev_get_assert(dev, a, pin);
	printf("%s_get %s\n", label, fido_strerr(r));
	if (r != FIDO_OK)
		return r;
	es256_pk_from_ptr(pk, fido_cred_pubkey_ptr(cred), fido_cred_pubkey_len(cred));
	printf("%s_verify %s\n", label, fido_strerr(fido_assert_verify(a, 0, COSE_ES256, pk)));
	printf("%s_flags %u\n", label, fido_assert_flags(a, 0));
	es256_pk_free(&pk);
	fido_assert_free(&a);
	return FIDO_OK;
}

int main(int argc, char **argv) {
	unsigned char cdh[32];
	unsigned char user_id[16];
	fido_cred_t *cred;
	fido_dev_t *dev;
	int r, retries = -1;
	if (argc != 3)
		return 2;
	fido_init(0);
	dev = open_dev(argv[1]);
	printf("fido2 %d\n", fido_dev_is_fido2(dev));
	cred = fido_cred_new();
	memset(cdh, 0xc1, sizeof(cdh));
	memset(user_id, 0x01, sizeof(user_id));
	fido_cred_set_type(cred, COSE_ES256);
	fido_cred_set_clientdata_hash(cred, cdh, sizeof(cdh));
	fido_cred_set_rp(cred, "breakglass.local", "Breakglass");
	fido_cred_set_user(cred, user_id, sizeof(user_id), "interop", NULL, NULL);
	fido_cred_set_rk(cred, FIDO_OPT_FALSE);
	r = fido_dev_make_cred(dev, cred, argv[2]);
	printf("make_cred %s\n", fido_strerr(r));
	if (r != FIDO_OK)
		return 1;
	printf("cred_verify %s\n", fido_strerr(fido_cred_verify(cred)));
	printf("cred_flags %u\n", fido_cred_flags(cred));
	printf("cred_fmt %s\n", fido_cred_fmt(cred));
	assertion(dev, cred, argv[2], "with_pin");
	assertion(dev, cred, NULL, "touch_only");
	assertion(dev, cred, "0000-wrong", "wrong_pin");
	fido_dev_get_retry_count(dev, &retries);
	printf("retries %d\n", retries);
	fido_cred_free(&cred);
	fido_dev_close(dev);
	fido_dev_free(&dev);
	return 0;
}
