# `cmake --install` puts the executables in bin/ and the core with its ports as the
# package LotteryCore (find_package(LotteryCore) gives lottery::core, lottery::ports).
include(CMakePackageConfigHelpers)

install(TARGETS lottery-bot lotteryctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(TARGETS lottery_core lottery_ports EXPORT LotteryCoreTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/core/include/ ${PROJECT_SOURCE_DIR}/ports/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(config_directory ${CMAKE_INSTALL_LIBDIR}/cmake/LotteryCore)
install(EXPORT LotteryCoreTargets NAMESPACE lottery:: DESTINATION ${config_directory})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/LotteryCoreConfig.cmake.in
  ${PROJECT_BINARY_DIR}/LotteryCoreConfig.cmake INSTALL_DESTINATION ${config_directory})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/LotteryCoreConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/LotteryCoreConfig.cmake
  ${PROJECT_BINARY_DIR}/LotteryCoreConfigVersion.cmake DESTINATION ${config_directory})
