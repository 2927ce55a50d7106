/*
 * Power-loss model for tests, loaded with LD_PRELOAD: only fsynced bytes survive.
 *
 * For every regular file under $BG_POWERLOSS_WATCH, fsync()/fdatasync() copy the file's current
 * contents to a shadow in $BG_POWERLOSS_STORE: the shadow is what the disk durably holds.
 * rename() is treated as durable metadata but carries only durable data: the target's shadow
 * becomes the source's (empty when the source was never fsynced, as with ext4 and no fsync
 * before rename). unlink() drops the shadow. After a SIGKILL, the test "cuts the power" by
 * putting every shadow back (power-loss.ts): what was written but never fsynced is gone.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int shadow_for(const char *path, char *out, size_t n) {
  const char *watch = getenv("BG_POWERLOSS_WATCH");
  const char *store = getenv("BG_POWERLOSS_STORE");
  if (!watch || !store) return 0;
  size_t wl = strlen(watch);
  if (strncmp(path, watch, wl) != 0 || path[wl] != '/') return 0;
  int k = snprintf(out, n, "%s/", store);
  for (const char *p = path + wl + 1; *p && k < (int)n - 1; p++) out[k++] = (*p == '/') ? '%' : *p;
  out[k] = 0;
  return 1;
}

static int real_rename(const char *from, const char *to) {
  static int (*fn)(const char *, const char *);
  if (!fn) fn = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  return fn(from, to);
}

static int real_unlink(const char *path) {
  static int (*fn)(const char *);
  if (!fn) fn = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
  return fn(path);
}

/* Copies `from` (a path) to the shadow `to`, atomically. */
static void copy_to_shadow(const char *from, const char *to) {
  char tmp[PATH_MAX + 16];
  snprintf(tmp, sizeof tmp, "%s.part", to);
  int in = from ? open(from, O_RDONLY | O_CLOEXEC) : -1;
  int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    if (in >= 0) close(in);
    return;
  }
  char buf[65536];
  ssize_t r;
  while (in >= 0 && (r = read(in, buf, sizeof buf)) > 0) {
    if (write(out, buf, (size_t)r) != r) break;
  }
  if (in >= 0) close(in);
  close(out);
  real_rename(tmp, to);
}

static void snapshot(int fd) {
  char link[64], path[PATH_MAX], shadow[PATH_MAX + 16];
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 0) return;
  path[n] = 0;
  if (!shadow_for(path, shadow, sizeof shadow)) return;
  pthread_mutex_lock(&lock);
  copy_to_shadow(path, shadow);
  pthread_mutex_unlock(&lock);
}

int fsync(int fd) {
  static int (*fn)(int);
  if (!fn) fn = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  int r = fn(fd);
  if (r == 0) snapshot(fd);
  return r;
}

int fdatasync(int fd) {
  static int (*fn)(int);
  if (!fn) fn = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  int r = fn(fd);
  if (r == 0) snapshot(fd);
  return r;
}

int rename(const char *from, const char *to) {
  int r = real_rename(from, to);
  char sfrom[PATH_MAX + 16], sto[PATH_MAX + 16];
  if (r == 0 && shadow_for(to, sto, sizeof sto)) {
    pthread_mutex_lock(&lock);
    if (shadow_for(from, sfrom, sizeof sfrom) && access(sfrom, F_OK) == 0) real_rename(sfrom, sto);
    else copy_to_shadow(NULL, sto); /* the name survives, the never-synced data does not */
    pthread_mutex_unlock(&lock);
  }
  return r;
}

int unlink(const char *path) {
  int r = real_unlink(path);
  char s[PATH_MAX + 16];
  if (r == 0 && shadow_for(path, s, sizeof s)) real_unlink(s);
  return r;
}
