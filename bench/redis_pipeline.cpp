// The Redis ceiling of the serving bench (issue 12): how many per-user read pipelines per second
// one redis-server answers on this box. Each of C connections keeps one pipeline in flight
// (a closed loop, like wrk's connections): the --command templates with `{id}` a Zipf-drawn line
// of --ids, written at once, timed until the last reply is parsed (hiredis's reader).
// redis-benchmark cannot express it: -P repeats one command, and its __rand_int__ keys are not
// the engine's ids. Prints one JSON object on stdout (bench/load_common.hpp).
#include <hiredis.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <utility>  // before Boost 1.74's asio.hpp: its awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <CLI/CLI.hpp>

#include "bench/load_common.hpp"

namespace {

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;
using rtfeat::bench::id_picker;

struct options {
  std::string host = "127.0.0.1", ids_path;
  std::vector<std::string> commands;
  int port = 6379;
  size_t connections = 50;
  double seconds = 10, warmup_s = 1, zipf = 1.1;
  uint64_t seed = 1;
};

/// A command template split into its arguments (on spaces; `{id}` is replaced in each).
using command_template = std::vector<std::string>;

struct connection {
  explicit connection(asio::io_context& io) : socket(io), reader(redisReaderCreate()) {}
  ~connection() { redisReaderFree(reader); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  asio::ip::tcp::socket socket;
  redisReader* reader;
  std::string out;
  std::array<char, 65536> in{};
  size_t replies_left = 0;
  bool reply_error = false;
  steady::time_point sent;
};

class pipeline_run {
public:
  pipeline_run(asio::io_context& io, const options& o, id_picker ids)
    : io_(io), opt_(o), ids_(std::move(ids)), rng_(o.seed) {
    for (const auto& c : o.commands) {
      std::istringstream words(c);
      command_template& t = templates_.emplace_back();
      for (std::string w; words >> w;) t.push_back(w);
    }
  }

  bool start(std::string& error) {
    const asio::ip::tcp::endpoint at(asio::ip::make_address(opt_.host), static_cast<uint16_t>(opt_.port));
    start_ = steady::now();
    measure_from_ = start_ + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(opt_.warmup_s));
    end_ = measure_from_ + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(opt_.seconds));
    for (size_t i = 0; i < opt_.connections; ++i) {
      auto c = std::make_unique<connection>(io_);
      boost::system::error_code ec;
      c->socket.connect(at, ec);
      if (ec) return error = "connect " + opt_.host + ":" + std::to_string(opt_.port) + ": " + ec.message(), false;
      c->socket.set_option(asio::ip::tcp::no_delay(true), ec);
      connections_.push_back(std::move(c));
    }
    for (auto& c : connections_) send(*c);
    return true;
  }

  rtfeat::bench::latency_report& report() { return report_; }

private:
  void send(connection& c) {
    if (steady::now() >= end_) return;  // this connection is done
    const std::string& id = ids_(rng_);
    c.out.clear();
    for (const auto& t : templates_) {
      c.out.append("*").append(std::to_string(t.size())).append("\r\n");
      for (const auto& word : t) {
        const std::string arg = rtfeat::bench::expand(word, "{id}", id);
        c.out.append("$").append(std::to_string(arg.size())).append("\r\n").append(arg).append("\r\n");
      }
    }
    c.replies_left = templates_.size();
    c.reply_error = false;
    c.sent = steady::now();
    asio::async_write(c.socket, asio::buffer(c.out), [this, &c](boost::system::error_code ec, size_t) {
      if (ec) return lost(c);
      read(c);
    });
  }

  void read(connection& c) {
    c.socket.async_read_some(asio::buffer(c.in), [this, &c](boost::system::error_code ec, size_t n) {
      if (ec || redisReaderFeed(c.reader, c.in.data(), n) != REDIS_OK) return lost(c);
      void* reply = nullptr;
      while (c.replies_left > 0) {
        if (redisReaderGetReply(c.reader, &reply) != REDIS_OK) return lost(c);
        if (reply == nullptr) return read(c);  // the rest is still on its way
        c.reply_error |= static_cast<redisReply*>(reply)->type == REDIS_REPLY_ERROR;
        freeReplyObject(reply);
        --c.replies_left;
      }
      done(c);
    });
  }

  void done(connection& c) {
    if (c.sent >= measure_from_ && c.sent < end_) {
      ++report_.requests;
      if (c.reply_error)
        ++report_.errors;
      else
        report_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(steady::now() - c.sent).count());
    }
    send(c);
  }

  void lost(connection& c) {
    if (c.sent >= measure_from_) {
      ++report_.requests;
      ++report_.errors;
    }
    boost::system::error_code ignored;
    c.socket.close(ignored);  // the others carry on
  }

  asio::io_context& io_;
  const options& opt_;
  id_picker ids_;
  std::mt19937_64 rng_;
  std::vector<command_template> templates_;
  std::vector<std::unique_ptr<connection>> connections_;
  steady::time_point start_, measure_from_, end_;
  rtfeat::bench::latency_report report_;
};

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"Closed-loop per-id Redis pipelines over C connections: the Redis ceiling of a feature read"};
  app.add_option("--host", o.host, "redis-server address (an IP)")->capture_default_str();
  app.add_option("--port", o.port, "redis-server port")->capture_default_str();
  app.add_option("--connections,-c", o.connections, "connections, one pipeline in flight each")
    ->capture_default_str()
    ->check(CLI::PositiveNumber);
  app.add_option("--seconds", o.seconds, "measured seconds (after the warm-up)")->capture_default_str();
  app.add_option("--warmup", o.warmup_s, "seconds before, not counted")->capture_default_str();
  app.add_option("--ids", o.ids_path, "ids, one a line; line k is Zipf rank k")->required();
  app.add_option("--zipf", o.zipf, "Zipf exponent of the ids (0 = uniform)")->capture_default_str();
  app.add_option("--command", o.commands, "a command of the pipeline, words split on spaces, {id} = the id")
    ->required();
  app.add_option("--seed", o.seed, "random seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::string error;
  auto ids = rtfeat::bench::read_ids(o.ids_path, error);
  if (!error.empty()) return std::cerr << "redis_pipeline: " << error << "\n", 2;
  asio::io_context io;
  pipeline_run run(io, o, id_picker(std::move(ids), o.zipf));
  if (!run.start(error)) return std::cerr << "redis_pipeline: " << error << "\n", 1;
  io.run();
  auto& report = run.report();
  const bool any = !report.latencies_ms.empty();
  const std::string extra = ",\"seconds\":" + std::to_string(o.seconds)
                            + ",\"connections\":" + std::to_string(o.connections)
                            + ",\"commands_per_request\":" + std::to_string(o.commands.size());
  report.print(o.seconds, extra);
  return any ? 0 : 1;
}
