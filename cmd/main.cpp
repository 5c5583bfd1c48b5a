// rtfeat: one binary, one subcommand per job (SPEC §1).
#include <exception>
#include <iostream>

#include "cmd/commands.hpp"
#include "runtime/lifecycle/stop_signals.hpp"

namespace rtfeat::cmd {
int& exit_code() {
  static int code = 0;
  return code;
}
}  // namespace rtfeat::cmd

int main(int argc, char** argv) {
  // Before anything opens a socket: Redis or a client closing one mid-write must
  // be an error the code handles (EPIPE), not a silent exit 141.
  rtfeat::ignore_sigpipe();
  CLI::App app{"rtfeat: real-time e-commerce features from Kafka into Redis, exactly once"};
  app.require_subcommand(1);
  rtfeat::cmd::add_mock_kafka(app);
  rtfeat::cmd::add_gen(app);
  rtfeat::cmd::add_produce(app);
  rtfeat::cmd::add_node(app);
  rtfeat::cmd::add_oracle(app);
  rtfeat::cmd::add_checkpoints(app);
  rtfeat::cmd::add_drill(app);
  rtfeat::cmd::add_serve(app);
  rtfeat::cmd::add_materialize(app);
  rtfeat::cmd::add_export(app);
  rtfeat::cmd::add_cluster(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "rtfeat: error: " << e.what() << "\n";
    return 1;
  }
  return rtfeat::cmd::exit_code();
}
