#include "multipart.hpp"

namespace lottery::testing {

std::optional<std::map<std::string, FormPart>> parse_multipart(const std::string& body,
                                                               const std::string& content_type) {
  const std::string marker = "boundary=";
  const auto at = content_type.find(marker);
  if (content_type.rfind("multipart/form-data", 0) != 0 || at == std::string::npos) {
    return std::nullopt;
  }
  const std::string delimiter = "--" + content_type.substr(at + marker.size());
  std::map<std::string, FormPart> parts;
  for (std::size_t start = body.find(delimiter); start != std::string::npos;) {
    const std::size_t headers = start + delimiter.size() + 2;  // after "\r\n"
    const std::size_t next = body.find("\r\n" + delimiter, headers);
    if (next == std::string::npos || body.compare(start + delimiter.size(), 2, "--") == 0) break;
    const std::size_t blank = body.find("\r\n\r\n", headers);
    const std::string head = body.substr(headers, blank - headers);
    const auto name_at = head.find("name=\"") + 6;
    const std::string name = head.substr(name_at, head.find('"', name_at) - name_at);
    std::string file_name;
    if (const auto file_at = head.find("filename=\""); file_at != std::string::npos) {
      file_name = head.substr(file_at + 10, head.find('"', file_at + 10) - file_at - 10);
    }
    parts[name] = FormPart{file_name, body.substr(blank + 4, next - blank - 4)};
    start = next + 2;
  }
  return parts;
}

}  // namespace lottery::testing
