# Run as a script (cmake -P) at build time: writes OUTPUT, a C++ source whose function
# FUNCTION (in namespace NAMESPACE) returns the bytes of INPUT, so an executable carries
# a file it serves (the verifier page) without reading it from disk.
#   -DINPUT=<file> -DOUTPUT=<file.cpp> -DNAMESPACE=<ns> -DFUNCTION=<name>
file(READ "${INPUT}" text)
if(text MATCHES "\\)embedded\"")
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
get_filename_component(name "${INPUT}" NAME)
set(content "// Generated from ${name} by cmake/EmbedText.cmake. Do not edit.\n")
string(APPEND content "#include <string_view>\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND content "std::string_view ${FUNCTION}() {\n  return R\"embedded(${text})embedded\";\n}\n")
string(APPEND content "\n}  // namespace ${NAMESPACE}\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
