//go:build linux

package main

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"unsafe"
)

// directChild returns the command that runs this program again with args
// in mount and network namespaces of its own: Go makes the child's mounts
// private to it, so nothing it mounts reaches the machine, and its network
// is a loopback of its own (down until loopbackUp), so its servers take
// ports 53 and 80 without meeting the machine's, and its browsers reach
// nothing but them.
func directChild(ctx context.Context, args []string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS | syscall.CLONE_NEWNET}
	return cmd, nil
}

// namespaces returns the mount and network namespaces of this process.
func namespaces() (string, error) {
	mnt, err := os.Readlink("/proc/self/ns/mnt")
	if err != nil {
		return "", err
	}
	net, err := os.Readlink("/proc/self/ns/net")
	return mnt + " " + net, err
}

// useResolver writes a resolv.conf naming the DNS server at ip into dir
// and bind-mounts it over /etc/resolv.conf: to be called only in the
// mount namespace of directChild.
func useResolver(dir, ip string) error {
	path := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(path, []byte("nameserver "+ip+"\noptions timeout:1 attempts:1\n"), 0o644); err != nil {
		return err
	}
	return syscall.Mount(path, "/etc/resolv.conf", "", syscall.MS_BIND, "")
}

// loopbackUp brings up the interface lo of the network namespace and adds
// the address 127.0.0.2 to it: to be called only in the network namespace
// of directChild, where lo starts down with 127.0.0.1 alone. Without a
// second address, glibc's getaddrinfo with AI_ADDRCONFIG and an address
// family (GLib's resolver, which WebKitGTK uses, asks so) finds no
// configured IPv4 address (127.0.0.1 does not count) and resolves nothing.
func loopbackUp() error {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		return err
	}
	if err := setUp(lo.Name); err != nil {
		return err
	}
	return addAddress(lo.Index, [4]byte{127, 0, 0, 2})
}

// setUp sets the flag IFF_UP of the interface called name.
func setUp(name string) error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	// struct ifreq: the interface's name, then the flags (a short).
	var ifr struct {
		name  [syscall.IFNAMSIZ]byte
		flags uint16
		_     [22]byte
	}
	copy(ifr.name[:], name)
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&ifr))); e != 0 {
		return e
	}
	ifr.flags |= syscall.IFF_UP
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&ifr))); e != 0 {
		return e
	}
	return nil
}

// addAddress adds the IPv4 address addr/32 to the interface of index
// ifindex, with a netlink RTM_NEWADDR request, and waits for its answer.
func addAddress(ifindex int, addr [4]byte) error {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, syscall.NETLINK_ROUTE)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	msg := newAddrRequest(ifindex, addr)
	if err := syscall.Sendto(fd, msg, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return err
	}
	buf := make([]byte, 4096)
	n, _, err := syscall.Recvfrom(fd, buf, 0)
	if err != nil {
		return err
	}
	msgs, err := syscall.ParseNetlinkMessage(buf[:n])
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if m.Header.Type == syscall.NLMSG_ERROR && len(m.Data) >= 4 {
			if code := int32(binary.NativeEndian.Uint32(m.Data)); code != 0 {
				return syscall.Errno(-code)
			}
			return nil
		}
	}
	return errors.New("no answer to RTM_NEWADDR")
}

// newAddrRequest returns the netlink request that adds addr/32 to the
// interface of index ifindex: a header, a struct ifaddrmsg, and the
// attributes IFA_LOCAL and IFA_ADDRESS.
func newAddrRequest(ifindex int, addr [4]byte) []byte {
	const attrLen = syscall.SizeofRtAttr + 4
	size := syscall.NLMSG_HDRLEN + syscall.SizeofIfAddrmsg + 2*attrLen
	b := make([]byte, size)
	ne := binary.NativeEndian
	ne.PutUint32(b[0:], uint32(size))
	ne.PutUint16(b[4:], syscall.RTM_NEWADDR)
	ne.PutUint16(b[6:], syscall.NLM_F_REQUEST|syscall.NLM_F_ACK|syscall.NLM_F_CREATE|syscall.NLM_F_EXCL)
	ne.PutUint32(b[8:], 1) // sequence number
	ifa := b[syscall.NLMSG_HDRLEN:]
	ifa[0] = syscall.AF_INET
	ifa[1] = 32 // prefix length
	ifa[3] = syscall.RT_SCOPE_HOST
	ne.PutUint32(ifa[4:], uint32(ifindex))
	attrs := ifa[syscall.SizeofIfAddrmsg:]
	for i, typ := range []uint16{syscall.IFA_LOCAL, syscall.IFA_ADDRESS} {
		a := attrs[i*attrLen:]
		ne.PutUint16(a[0:], attrLen)
		ne.PutUint16(a[2:], typ)
		copy(a[syscall.SizeofRtAttr:], addr[:])
	}
	return b
}
