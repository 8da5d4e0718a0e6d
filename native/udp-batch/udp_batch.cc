// Batched UDP for Bestiary's DNS server (Linux). One socket, watched by a uv_poll on the Node
// loop thread: a readable socket gives one recvmmsg of up to `batch` datagrams into slots the
// caller owns, ONE JavaScript call for the whole batch, and one sendmmsg for the replies the
// call wrote. One batch per loop turn, so TCP, IPC and timers in the same process get their turn.
//
// Shared memory (all allocated by JavaScript, held by references while the socket lives):
//   in      batch * slot bytes      datagram i at i * slot
//   inLen   Int32Array(batch)       its length, 0 when it did not fit the slot (dropped)
//   peers   batch * kPeerStride     the sender's sockaddr_in / sockaddr_in6 as the kernel wrote it
//   out     batch * outSlot bytes   reply r at r * outSlot
//   outLen  Int32Array(batch)       its length
//   outPeer Int32Array(batch)       the datagram index whose sender gets reply r
// If the socket's send buffer is full, the unsent replies wait and reading stops until the
// socket is writable again: the kernel's receive queue, not this process, absorbs the excess.
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <errno.h>
#include <netdb.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace {

constexpr int kMaxBatch = 256;
constexpr size_t kPeerStride = 32;  // >= sizeof(sockaddr_in6) (28), 8-byte aligned

struct Stats {
  double batches = 0, received = 0, oversized = 0, sent = 0, sendErrors = 0, stalls = 0;
  double spread = 0;  // 1 when the random-spread program is attached to the reuseport group
};

struct Sock {
  napi_env env = nullptr;
  napi_ref self = nullptr;     // strong while open: the loop holds the socket alive
  napi_ref onBatch = nullptr;  // (count) => number of replies
  napi_ref held[6] = {};       // the shared buffers
  napi_async_context async = nullptr;
  uv_poll_t* poll = nullptr;
  int fd = -1;
  int family = AF_INET;
  int batch = 64;
  size_t slot = 0, outSlot = 0;
  uint8_t* in = nullptr;
  int32_t* inLen = nullptr;
  uint8_t* peers = nullptr;
  uint8_t* out = nullptr;
  int32_t* outLen = nullptr;
  int32_t* outPeer = nullptr;
  mmsghdr rmsg[kMaxBatch];
  iovec riov[kMaxBatch];
  mmsghdr smsg[kMaxBatch];
  iovec siov[kMaxBatch];
  int pendingFrom = 0, pendingTo = 0;  // replies waiting for a writable socket
  bool inCallback = false, closed = false;
  Stats stats;
};

std::string ErrnoText(const char* what, int err) {
  char buf[256];
  snprintf(buf, sizeof buf, "udp-batch: %s: %s", what, strerror(err));
  return buf;
}

const char* ErrnoCode(int err) {
  switch (err) {
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    default: return "EUDPBATCH";
  }
}

napi_value Throw(napi_env env, const char* code, const std::string& msg) {
  napi_throw_error(env, code, msg.c_str());
  return nullptr;
}

#define CHECK_NAPI(call)                                           \
  do {                                                             \
    if ((call) != napi_ok) return Throw(env, "EUDPBATCH", #call); \
  } while (0)

bool GetProp(napi_env env, napi_value obj, const char* name, napi_value* out) {
  bool has = false;
  if (napi_has_named_property(env, obj, name, &has) != napi_ok || !has) return false;
  return napi_get_named_property(env, obj, name, out) == napi_ok;
}

int32_t GetInt(napi_env env, napi_value obj, const char* name, int32_t fallback) {
  napi_value v;
  int32_t n;
  if (!GetProp(env, obj, name, &v) || napi_get_value_int32(env, v, &n) != napi_ok) return fallback;
  return n;
}

bool GetBool(napi_env env, napi_value obj, const char* name) {
  napi_value v;
  bool b = false;
  if (GetProp(env, obj, name, &v)) napi_get_value_bool(env, v, &b);
  return b;
}

// A Buffer/Uint8Array (elem 1) or Int32Array (elem 4) of at least `need` elements.
bool Borrow(napi_env env, napi_value v, napi_typedarray_type type, size_t need, void** data,
            napi_ref* ref) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type t;
  size_t len;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &t, &len, data, &ab, &off) != napi_ok) return false;
  if (t != type || len < need) return false;
  return napi_create_reference(env, v, 1, ref) == napi_ok;
}

bool ParseAddress(const char* text, int port, sockaddr_storage* ss, socklen_t* len) {
  addrinfo hints = {};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  char service[8];
  snprintf(service, sizeof service, "%d", port);
  if (getaddrinfo(text, service, &hints, &res) != 0 || !res) return false;
  memcpy(ss, res->ai_addr, res->ai_addrlen);
  *len = res->ai_addrlen;
  freeaddrinfo(res);
  return true;
}

void Release(Sock* s) {
  for (auto& r : s->held)
    if (r) napi_delete_reference(s->env, r), r = nullptr;
  if (s->onBatch) napi_delete_reference(s->env, s->onBatch), s->onBatch = nullptr;
  if (s->async) napi_async_destroy(s->env, s->async), s->async = nullptr;
}

void CloseSock(Sock* s) {
  if (s->poll) {
    uv_poll_stop(s->poll);
    uv_close(reinterpret_cast<uv_handle_t*>(s->poll),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    s->poll = nullptr;
  }
  if (s->fd >= 0) close(s->fd), s->fd = -1;
}

void OnPoll(uv_poll_t* h, int status, int events);

// Send replies [pendingFrom, pendingTo); on a full send buffer, wait for POLLOUT instead of
// reading more. A reply the kernel refuses outright (bad peer) is skipped, not retried.
void Flush(Sock* s) {
  while (s->pendingFrom < s->pendingTo) {
    int r = sendmmsg(s->fd, s->smsg + s->pendingFrom, s->pendingTo - s->pendingFrom, MSG_DONTWAIT);
    if (r > 0) {
      s->pendingFrom += r;
      s->stats.sent += r;
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      s->stats.stalls++;
      uv_poll_start(s->poll, UV_WRITABLE, OnPoll);
      return;
    }
    s->stats.sendErrors++;
    s->pendingFrom++;
  }
  s->pendingFrom = s->pendingTo = 0;
}

void Receive(Sock* s) {
  napi_env env = s->env;
  for (int i = 0; i < s->batch; i++) {
    s->rmsg[i].msg_hdr.msg_namelen = sizeof(sockaddr_in6);
    s->rmsg[i].msg_hdr.msg_flags = 0;
  }
  int n = recvmmsg(s->fd, s->rmsg, s->batch, MSG_DONTWAIT, nullptr);
  if (n <= 0) return;  // EAGAIN (another process of the reuseport group took them) or EINTR
  s->stats.batches++;
  s->stats.received += n;
  for (int i = 0; i < n; i++) {
    bool cut = (s->rmsg[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    s->inLen[i] = cut ? 0 : static_cast<int32_t>(s->rmsg[i].msg_len);
    if (cut) s->stats.oversized++;
  }

  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value self, cb, arg, result;
  napi_get_reference_value(env, s->self, &self);
  napi_get_reference_value(env, s->onBatch, &cb);
  napi_create_int32(env, n, &arg);
  s->inCallback = true;
  napi_status st = napi_make_callback(env, s->async, self, cb, 1, &arg, &result);
  s->inCallback = false;
  if (st == napi_pending_exception) {
    // The JS side catches per packet; anything escaping is a bug, reported like any event's.
    napi_value err;
    napi_get_and_clear_last_exception(env, &err);
    napi_fatal_exception(env, err);
  } else if (st == napi_ok && s->fd >= 0) {
    int32_t m = 0;
    napi_get_value_int32(env, result, &m);
    if (m > s->batch) m = s->batch;
    int k = 0;
    for (int r = 0; r < m; r++) {
      int32_t len = s->outLen[r], j = s->outPeer[r];
      if (len <= 0 || static_cast<size_t>(len) > s->outSlot || j < 0 || j >= n) {
        s->stats.sendErrors++;
        continue;
      }
      s->siov[k].iov_base = s->out + r * s->outSlot;
      s->siov[k].iov_len = len;
      msghdr& h = s->smsg[k].msg_hdr;
      h.msg_name = s->peers + j * kPeerStride;
      h.msg_namelen = s->rmsg[j].msg_hdr.msg_namelen;
      h.msg_iov = &s->siov[k];
      h.msg_iovlen = 1;
      h.msg_control = nullptr;
      h.msg_controllen = 0;
      h.msg_flags = 0;
      k++;
    }
    s->pendingFrom = 0;
    s->pendingTo = k;
    Flush(s);
  }
  napi_close_handle_scope(env, scope);
  if (s->closed) Release(s);  // closed from inside the callback: its async context is free now
}

void OnPoll(uv_poll_t* h, int status, int events) {
  Sock* s = static_cast<Sock*>(h->data);
  if (status < 0 || s->fd < 0) return;
  if (s->pendingTo > 0) {
    Flush(s);
    if (s->pendingTo == 0 && s->poll) uv_poll_start(s->poll, UV_READABLE, OnPoll);
    return;
  }
  if (events & UV_READABLE) Receive(s);
}

Sock* Unwrap(napi_env env, napi_callback_info info, size_t* argc, napi_value* argv) {
  napi_value self;
  void* p = nullptr;
  if (napi_get_cb_info(env, info, argc, argv, &self, nullptr) != napi_ok) return nullptr;
  if (napi_unwrap(env, self, &p) != napi_ok) return nullptr;
  return static_cast<Sock*>(p);
}

void Cleanup(void* arg) {
  Sock* s = static_cast<Sock*>(arg);
  CloseSock(s);
}

// new UdpBatchSocket({ address, port, reusePort, spread, recvBuffer, sendBuffer, batch, slot,
//                      outSlot },
//                    { in, inLen, peers, out, outLen, outPeer })
napi_value New(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], self;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, &self, nullptr));
  if (argc < 2) return Throw(env, "EINVAL", "udp-batch: expected (options, buffers)");
  napi_value o = argv[0], b = argv[1], v;

  char address[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = "127.0.0.1";
  size_t alen;
  if (GetProp(env, o, "address", &v))
    napi_get_value_string_utf8(env, v, address, sizeof address, &alen);
  int port = GetInt(env, o, "port", 0);
  int batch = GetInt(env, o, "batch", 64), slot = GetInt(env, o, "slot", 4096),
      outSlot = GetInt(env, o, "outSlot", 4096);
  if (batch < 1 || batch > kMaxBatch || slot < 512 || slot > 65536 || outSlot < 512 ||
      outSlot > 65536 || port < 0 || port > 65535)
    return Throw(env, "EINVAL", "udp-batch: batch 1..256, slots 512..65536, port 0..65535");
  auto* s = new Sock();
  s->env = env;
  s->batch = batch;
  s->slot = slot;
  s->outSlot = outSlot;
  napi_value bi, bl, bp, bo, bol, bop;
  void *din, *dinLen, *dpeers, *dout, *doutLen, *doutPeer;
  bool ok = GetProp(env, b, "in", &bi) && GetProp(env, b, "inLen", &bl) &&
            GetProp(env, b, "peers", &bp) && GetProp(env, b, "out", &bo) &&
            GetProp(env, b, "outLen", &bol) && GetProp(env, b, "outPeer", &bop) &&
            Borrow(env, bi, napi_uint8_array, s->batch * s->slot, &din, &s->held[0]) &&
            Borrow(env, bl, napi_int32_array, s->batch, &dinLen, &s->held[1]) &&
            Borrow(env, bp, napi_uint8_array, s->batch * kPeerStride, &dpeers, &s->held[2]) &&
            Borrow(env, bo, napi_uint8_array, s->batch * s->outSlot, &dout, &s->held[3]) &&
            Borrow(env, bol, napi_int32_array, s->batch, &doutLen, &s->held[4]) &&
            Borrow(env, bop, napi_int32_array, s->batch, &doutPeer, &s->held[5]);
  if (!ok) {
    Release(s);
    delete s;
    return Throw(env, "EINVAL", "udp-batch: shared buffers missing, of the wrong type or too small");
  }
  s->in = static_cast<uint8_t*>(din);
  s->inLen = static_cast<int32_t*>(dinLen);
  s->peers = static_cast<uint8_t*>(dpeers);
  s->out = static_cast<uint8_t*>(dout);
  s->outLen = static_cast<int32_t*>(doutLen);
  s->outPeer = static_cast<int32_t*>(doutPeer);
  for (int i = 0; i < s->batch; i++) {
    s->riov[i].iov_base = s->in + i * s->slot;
    s->riov[i].iov_len = s->slot;
    msghdr& h = s->rmsg[i].msg_hdr;
    h = {};
    h.msg_name = s->peers + i * kPeerStride;
    h.msg_iov = &s->riov[i];
    h.msg_iovlen = 1;
  }

  sockaddr_storage ss;
  socklen_t sslen;
  auto fail = [&](const char* what, int err) {
    CloseSock(s);
    Release(s);
    delete s;
    std::string where = std::string(what) + " " + address + ":" + std::to_string(port);
    return Throw(env, ErrnoCode(err), ErrnoText(where.c_str(), err));
  };
  if (!ParseAddress(address, port, &ss, &sslen)) return fail("address", EINVAL);
  s->family = ss.ss_family;
  s->fd = socket(s->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s->fd < 0) return fail("socket", errno);
  int one = 1, zero = 0;
  int rcv = GetInt(env, o, "recvBuffer", 0), snd = GetInt(env, o, "sendBuffer", 0);
  // Sizes are best effort: the kernel caps them at net.core.{r,w}mem_max.
  if (rcv > 0) setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  if (snd > 0) setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd);
  if (GetBool(env, o, "reusePort") &&
      setsockopt(s->fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
    return fail("SO_REUSEPORT", errno);
  // Like node:dgram's udp6: "::" also receives IPv4 (as ::ffff:a.b.c.d).
  if (s->family == AF_INET6) setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  if (bind(s->fd, reinterpret_cast<sockaddr*>(&ss), sslen) != 0) return fail("bind", errno);
  // With `spread` workers in the group, pick a socket at random per datagram instead of by the
  // hash of the client's address and port, which leaves a few busy clients unevenly spread.
  // DNS over UDP needs no flow affinity. A group smaller than `spread` falls back to the hash.
  int spread = GetInt(env, o, "spread", 0);
  if (GetBool(env, o, "reusePort") && spread > 1) {
    sock_filter code[] = {
        {BPF_LD | BPF_W | BPF_ABS, 0, 0, static_cast<uint32_t>(SKF_AD_OFF + SKF_AD_RANDOM)},
        {BPF_ALU | BPF_MOD | BPF_K, 0, 0, static_cast<uint32_t>(spread)},
        {BPF_RET | BPF_A, 0, 0, 0},
    };
    sock_fprog prog = {3, code};
    s->stats.spread =
        setsockopt(s->fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof prog) == 0;
  }

  if (napi_wrap(env, self, s,
                [](napi_env env, void* data, void*) {
                  Sock* s = static_cast<Sock*>(data);
                  napi_remove_env_cleanup_hook(env, Cleanup, s);
                  CloseSock(s);
                  Release(s);
                  delete s;
                },
                nullptr, nullptr) != napi_ok)
    return fail("wrap", EINVAL);
  napi_add_env_cleanup_hook(env, Cleanup, s);
  return self;
}

// start(onBatch): begin reading; onBatch(count) returns how many replies it wrote.
napi_value Start(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], self, name;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, &self, nullptr));
  Sock* s = nullptr;
  CHECK_NAPI(napi_unwrap(env, self, reinterpret_cast<void**>(&s)));
  napi_valuetype t;
  if (argc < 1 || napi_typeof(env, argv[0], &t) != napi_ok || t != napi_function)
    return Throw(env, "EINVAL", "udp-batch: start(onBatch) needs a function");
  if (s->fd < 0 || s->poll) return Throw(env, "EINVAL", "udp-batch: closed or already started");
  CHECK_NAPI(napi_create_reference(env, argv[0], 1, &s->onBatch));
  CHECK_NAPI(napi_create_reference(env, self, 1, &s->self));
  CHECK_NAPI(napi_create_string_utf8(env, "bestiary:udp-batch", NAPI_AUTO_LENGTH, &name));
  CHECK_NAPI(napi_async_init(env, self, name, &s->async));
  uv_loop_t* loop;
  CHECK_NAPI(napi_get_uv_event_loop(env, &loop));
  s->poll = new uv_poll_t;
  s->poll->data = s;
  int r = uv_poll_init_socket(loop, s->poll, s->fd);
  if (r == 0) r = uv_poll_start(s->poll, UV_READABLE, OnPoll);
  if (r != 0) {
    delete s->poll;
    s->poll = nullptr;
    return Throw(env, "EUDPBATCH", std::string("udp-batch: uv_poll: ") + uv_strerror(r));
  }
  return nullptr;
}

// port(): the bound port (useful after binding port 0).
napi_value Port(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  Sock* s = Unwrap(env, info, &argc, nullptr);
  if (!s || s->fd < 0) return Throw(env, "EINVAL", "udp-batch: closed");
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  getsockname(s->fd, reinterpret_cast<sockaddr*>(&ss), &len);
  int port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  napi_value v;
  napi_create_int32(env, port, &v);
  return v;
}

// peerAddress(i): the text address of datagram i's sender, as node:dgram would give it.
napi_value PeerAddress(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Sock* s = Unwrap(env, info, &argc, argv);
  int32_t i = -1;
  if (!s || argc < 1 || napi_get_value_int32(env, argv[0], &i) != napi_ok || i < 0 ||
      i >= s->batch)
    return Throw(env, "EINVAL", "udp-batch: peerAddress(index)");
  const sockaddr* sa = reinterpret_cast<const sockaddr*>(s->peers + i * kPeerStride);
  char text[INET6_ADDRSTRLEN] = "";
  if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, text, sizeof text);
  else
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, text, sizeof text);
  napi_value v;
  napi_create_string_latin1(env, text, NAPI_AUTO_LENGTH, &v);
  return v;
}

// sendTo(bytes, address, port): one datagram outside a batch (slow-path replies); false if dropped.
napi_value SendTo(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  Sock* s = Unwrap(env, info, &argc, argv);
  void* data;
  size_t len;
  char address[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
  size_t alen;
  int32_t port;
  if (!s || argc < 3 || napi_get_buffer_info(env, argv[0], &data, &len) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], address, sizeof address, &alen) != napi_ok ||
      napi_get_value_int32(env, argv[2], &port) != napi_ok)
    return Throw(env, "EINVAL", "udp-batch: sendTo(buffer, address, port)");
  bool sent = false;
  sockaddr_storage ss;
  socklen_t sslen;
  if (s->fd >= 0 && ParseAddress(address, port, &ss, &sslen)) {
    if (s->family == AF_INET6 && ss.ss_family == AF_INET) {
      // An IPv4 peer of a dual-stack socket: its mapped form.
      sockaddr_in v4 = *reinterpret_cast<sockaddr_in*>(&ss);
      sockaddr_in6 v6 = {};
      v6.sin6_family = AF_INET6;
      v6.sin6_port = v4.sin_port;
      v6.sin6_addr.s6_addr[10] = v6.sin6_addr.s6_addr[11] = 0xff;
      memcpy(&v6.sin6_addr.s6_addr[12], &v4.sin_addr, 4);
      memcpy(&ss, &v6, sizeof v6);
      sslen = sizeof v6;
    }
    ssize_t r = sendto(s->fd, data, len, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&ss), sslen);
    sent = r == static_cast<ssize_t>(len);
    if (sent) s->stats.sent++;
    else s->stats.sendErrors++;
  }
  napi_value v;
  napi_get_boolean(env, sent, &v);
  return v;
}

napi_value StatsOf(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  Sock* s = Unwrap(env, info, &argc, nullptr);
  if (!s) return Throw(env, "EINVAL", "udp-batch: stats()");
  napi_value o, v;
  napi_create_object(env, &o);
  const std::pair<const char*, double> fields[] = {
      {"batches", s->stats.batches},       {"received", s->stats.received},
      {"oversized", s->stats.oversized},   {"sent", s->stats.sent},
      {"sendErrors", s->stats.sendErrors}, {"stalls", s->stats.stalls},
      {"spread", s->stats.spread},
  };
  for (const auto& f : fields) {
    napi_create_double(env, f.second, &v);
    napi_set_named_property(env, o, f.first, v);
  }
  return o;
}

// close(): stop reading and close the socket; safe to call twice and from inside onBatch.
napi_value Close(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  Sock* s = Unwrap(env, info, &argc, nullptr);
  if (!s) return nullptr;
  CloseSock(s);
  s->closed = true;
  s->pendingFrom = s->pendingTo = 0;
  if (s->self) napi_delete_reference(env, s->self), s->self = nullptr;
  if (!s->inCallback) Release(s);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
      {"start", nullptr, Start, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"port", nullptr, Port, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"peerAddress", nullptr, PeerAddress, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sendTo", nullptr, SendTo, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"stats", nullptr, StatsOf, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_value cls, stride, max;
  napi_define_class(env, "UdpBatchSocket", NAPI_AUTO_LENGTH, New, nullptr,
                    sizeof methods / sizeof methods[0], methods, &cls);
  napi_set_named_property(env, exports, "UdpBatchSocket", cls);
  napi_create_uint32(env, kPeerStride, &stride);
  napi_set_named_property(env, exports, "peerStride", stride);
  napi_create_uint32(env, kMaxBatch, &max);
  napi_set_named_property(env, exports, "maxBatch", max);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
