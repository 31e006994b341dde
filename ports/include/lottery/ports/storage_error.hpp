#pragma once

#include <stdexcept>
#include <string>

namespace lottery {

// The one exception a storage adapter may let through to the core: a database error
// translated at the adapter's boundary. Use cases turn it into an Error value.
class StorageError : public std::runtime_error {
 public:
  enum class Kind {
    kUnavailable,  // the store cannot be reached or failed; nothing was committed
    kConflict,     // a concurrent transaction won a race; retrying may succeed
    kRejected,     // the store refused the data itself; retrying cannot help
  };

  StorageError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}

  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace lottery
