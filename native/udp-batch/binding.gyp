# node-gyp build of the batched UDP addon (Linux only: recvmmsg/sendmmsg). Built by build.mjs
# at `npm install`; a failed build leaves Bestiary on node:dgram.
{
  "targets": [
    {
      "target_name": "udp_batch",
      "sources": ["udp_batch.cc"],
      "cflags_cc": ["-O2", "-std=c++17", "-Wall", "-Wextra", "-Wno-missing-field-initializers"],
      "defines": ["_GNU_SOURCE"]
    }
  ]
}
