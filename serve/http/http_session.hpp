// One client connection of the HTTP server (internal to serve/http): reads
// requests one at a time, hands each to the request_handler and writes its
// response, on the connection's own event loop.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "serve/http/http_server.hpp"

namespace rtfeat::serve {

/// Starts serving `socket`; the session keeps itself alive until it closes.
void start_http_session(boost::asio::ip::tcp::socket socket, size_t loop, const http_server_options& options,
                        request_handler& handler, process_metrics& metrics);

}  // namespace rtfeat::serve
