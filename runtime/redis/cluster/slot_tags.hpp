// A short hash tag for every slot: a key `x:{tag}:y` lands in exactly that
// slot. The sinks place a dataset marker in each master's first slot with it,
// and the oracle its scratch keys on the master it reads.
#pragma once

#include <cstdint>
#include <string>

namespace rtfeat {

/// The shortest decimal number whose CRC16 mod 16384 is `slot` (computed once,
/// ~10 ms, on first use; thread-safe). REQUIRES: slot < cluster_slot_count.
const std::string& tag_for_slot(uint16_t slot);

}  // namespace rtfeat
