// Parse baseline of the ingest bench: simdjson parse + SPEC §2 validation of
// every line (rtfeat::event_parser), one thread, lines already in memory. The
// floor of per-event cost that every reader pays before any feature work.
// Prints one JSON object: events, valid, seconds, events_per_s.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "runtime/event_parser.hpp"

int main(int argc, char** argv) {
  CLI::App app{"parse baseline: event_parser::parse over every line of a JSONL file"};
  std::string events_path;
  int rounds = 1;
  app.add_option("--events", events_path, "JSONL events file")->required();
  app.add_option("--rounds", rounds, "passes over the file (timed together)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> lines;
  {
    std::ifstream in(events_path);
    if (!in) {
      std::fprintf(stderr, "parse_baseline: cannot open %s\n", events_path.c_str());
      return 2;
    }
    for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  }
  rtfeat::event_parser parser;
  rtfeat::event e;
  uint64_t valid = 0;
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& line : lines)
      if (!parser.parse(line, e)) ++valid;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto total = static_cast<double>(lines.size()) * rounds;
  std::printf("{\"events\":%zu,\"valid\":%llu,\"rounds\":%d,\"seconds\":%.6f,\"events_per_s\":%.0f}\n",
              lines.size(), static_cast<unsigned long long>(valid / static_cast<uint64_t>(rounds > 0 ? rounds : 1)),
              rounds, seconds, seconds > 0 ? total / seconds : 0);
  return 0;
}
