/*
 * A static UDP echo for the overlay e2e image (busybox's nc has no -u).
 *   udp-echo serve PORT                 answers every datagram with "HOSTNAME PAYLOAD", and the
 *                                        datagram "whoami" with "HOSTNAME SENDER_ADDRESS"
 *   udp-echo call ADDR PORT MESSAGE     sends MESSAGE to ADDR:PORT, prints the answer; exit 1
 *                                        when none comes within 2 s (ADDR is an IPv4 address)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_DATAGRAM 2048

static int serve(int port) {
  char host[256] = "?";
  char in[MAX_DATAGRAM];
  char out[MAX_DATAGRAM + 300];
  gethostname(host, sizeof host - 1);
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("udp-echo: bind");
    return 1;
  }
  for (;;) {
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    ssize_t n = recvfrom(s, in, sizeof in - 1, 0, (struct sockaddr *)&peer, &len);
    if (n < 0) continue;
    in[n] = 0;
    char sender[INET_ADDRSTRLEN] = "?";
    inet_ntop(AF_INET, &peer.sin_addr, sender, sizeof sender);
    int m = snprintf(out, sizeof out, "%s %s", host, strcmp(in, "whoami") == 0 ? sender : in);
    sendto(s, out, (size_t)m, 0, (struct sockaddr *)&peer, len);
  }
}

static int call(const char *ip, int port, const char *message) {
  char buf[MAX_DATAGRAM + 300];
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
  if (s < 0 || inet_pton(AF_INET, ip, &addr.sin_addr) != 1) {
    fprintf(stderr, "udp-echo: bad address %s\n", ip);
    return 2;
  }
  struct timeval tv = {.tv_sec = 2, .tv_usec = 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (sendto(s, message, strlen(message), 0, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("udp-echo: send");
    return 1;
  }
  ssize_t n = recv(s, buf, sizeof buf - 1, 0);
  if (n < 0) {
    fprintf(stderr, "udp-echo: no answer from %s:%d within 2 s\n", ip, port);
    return 1;
  }
  buf[n] = 0;
  printf("%s\n", buf);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "serve") == 0) return serve(atoi(argv[2]));
  if (argc == 5 && strcmp(argv[1], "call") == 0) return call(argv[2], atoi(argv[3]), argv[4]);
  fprintf(stderr, "usage: udp-echo serve PORT | udp-echo call ADDR PORT MESSAGE\n");
  return 2;
}
