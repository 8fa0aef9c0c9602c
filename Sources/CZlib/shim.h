#include <zlib.h>

/// `inflateInit2` is a macro, which Swift cannot call; this wrapper passes the version and struct
/// size the macro would.
static inline int psn_inflateInit2(z_streamp strm, int windowBits) {
  return inflateInit2_(strm, windowBits, ZLIB_VERSION, (int)sizeof(z_stream));
}
