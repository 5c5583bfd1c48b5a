// CRC16 as Redis Cluster computes key slots with it: the XMODEM variant of
// CRC-16/CCITT (polynomial 0x1021, initial value 0, no reflection, no final xor).
// Any other CRC16 would send keys to masters that do not own them.
#pragma once

#include <cstdint>
#include <string_view>

namespace rtfeat {

/// CRC-16/XMODEM of `data`; "123456789" gives 0x31C3.
uint16_t crc16(std::string_view data);

}  // namespace rtfeat
