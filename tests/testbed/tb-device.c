// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device side of the testbed's kernel model, for tests/testbed/fm-testbed.sh:
 * capacity the FM grants or releases reaching this host's kernel.
 *   tb-device add MEM DPA LENGTH TAG   prints the extent's id (extentR.ID)
 *   tb-device release MEM TAG          prints "released" or "dropped"
 * Exit 1 with the kernel's reason when the group is dropped or unknown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	const char *sock = getenv("TB_KERNEL");
	char req[512], reply[32];
	int c, rc;
	ssize_t k;

	if (!sock || strlen(sock) >= sizeof(a.sun_path)) {
		fprintf(stderr, "tb-device: no $TB_KERNEL\n");
		return 2;
	}
	if (argc == 6 && !strcmp(argv[1], "add"))
		snprintf(req, sizeof(req), "A %s %s %s %s", argv[2], argv[3], argv[4], argv[5]);
	else if (argc == 4 && !strcmp(argv[1], "release"))
		snprintf(req, sizeof(req), "R %s %s", argv[2], argv[3]);
	else {
		fprintf(stderr, "usage: tb-device add MEM DPA LENGTH TAG | release MEM TAG\n");
		return 2;
	}
	strcpy(a.sun_path, sock);
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    send(c, req, strlen(req), 0) < 0 || (k = recv(c, reply, sizeof(reply) - 1, 0)) <= 0) {
		perror("tb-device");
		return 2;
	}
	reply[k] = '\0';
	rc = atoi(reply);
	if (argv[1][0] == 'r' && (rc == 0 || rc == -EBUSY)) {
		puts(rc ? "dropped" : "released");
		return 0;
	}
	if (rc < 0) {
		fprintf(stderr, "tb-device: %s: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	printf("%d\n", rc);
	return 0;
}
