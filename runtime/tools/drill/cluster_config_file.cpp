// Generated cluster configs (see cluster_config_file.hpp).
#include "runtime/tools/drill/cluster_config_file.hpp"

#include <fstream>

namespace rtfeat {

bool write_cluster_config(job_config base, uint32_t nodes, loopback_ports& ports, const std::string& path,
                          std::vector<cluster_node>& out, std::string& error) {
  out.clear();
  for (uint32_t i = 1; i <= nodes; ++i) {
    auto port = ports.pick();
    if (!port)
      return error = "no free loopback port below the ephemeral range for node n" + std::to_string(i), false;
    out.push_back({"n" + std::to_string(i), "127.0.0.1", *port});
  }
  base.nodes = out;
  make_config_paths_absolute(base);
  {
    std::ofstream file(path);
    file << job_config_toml(base);
    if (!file.flush()) return error = "cannot write " + path, false;
  }
  // Reading it back proves the nodes will accept it before any of them starts.
  job_config check;
  if (!load_job_config(path, {}, check, error)) return error = "generated config " + path + ": " + error, false;
  return true;
}

}  // namespace rtfeat
