# The project's warning set, as an INTERFACE target that each of our targets links
# PRIVATE, so third-party code and consumers of our libraries never inherit it.
add_library(lottery_warnings INTERFACE)
add_library(lottery::warnings ALIAS lottery_warnings)

target_compile_options(lottery_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
  # Designated initializers leave the members they omit at their defaults on purpose.
  -Wno-missing-field-initializers)

if(LOTTERY_WERROR)
  target_compile_options(lottery_warnings INTERFACE -Werror)
endif()
