# Installation (make install, the Debian package) and the tests of it.
#
# Paths follow GNUInstallDirs under the install-time prefix, so
# `cmake --install build --prefix /usr` (make install PREFIX=/usr) is right
# without configuring again; DESTDIR is honoured by every rule:
#   bin/mediadash
#   share/bash-completion/completions/mediadash   (generated from --help)
#   lib/systemd/system/mediadash.service          (/lib/... when prefix is
#                                                   /usr: Debian 12's unit dir)
#   etc/mediadash/mediadash.conf                  (/etc when prefix is /usr;
#                                                   never overwritten)
# Man pages and mediadash.conf.example have their own rules (confman).
include(GNUInstallDirs)

# bash completion, read from the binary's own help texts at build time.
set(MD_COMPLETION ${CMAKE_BINARY_DIR}/dist/mediadash.bash)
add_custom_command(
  OUTPUT ${MD_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/dist
  COMMAND bash ${CMAKE_SOURCE_DIR}/tools/gen-completion.sh
          $<TARGET_FILE:mediadash> ${MD_COMPLETION}
  DEPENDS mediadash ${CMAKE_SOURCE_DIR}/tools/gen-completion.sh
  COMMENT "Generating bash completion from mediadash --help"
  VERBATIM)
add_custom_target(completion ALL DEPENDS ${MD_COMPLETION})

install(TARGETS mediadash RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${MD_COMPLETION}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME mediadash)
# The unit names the installed binary and config file: written at install
# time, when the prefix is known (cmake/install-service.cmake).
install(CODE "set(MD_SRC \"${CMAKE_SOURCE_DIR}\")
set(MD_BIN \"${CMAKE_BINARY_DIR}\")
set(MD_BINDIR_REL \"${CMAKE_INSTALL_BINDIR}\")
include(\"${CMAKE_SOURCE_DIR}/cmake/install-service.cmake\")")

# Tests of the installation that change this machine (dpkg -i): label
# "deb", one at a time (RESOURCE_LOCK), run by plain ctest too.
# deb.build makes the .deb once (make deb) for the two that install it.
if(NOT MEDIADASH_SANITIZE AND NOT MEDIADASH_FUZZ)
  add_test(NAME deb.build
           COMMAND make -C ${CMAKE_SOURCE_DIR} deb BUILD=${CMAKE_BINARY_DIR}
                   DEB_DIR=${CMAKE_BINARY_DIR}/deb)
  add_test(NAME deb.install
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/pkg/test_deb.sh
                   ${CMAKE_BINARY_DIR}/deb)
  add_test(NAME deb.service_check
           COMMAND bash ${CMAKE_SOURCE_DIR}/tools/service-check.sh
                   --deb-dir ${CMAKE_BINARY_DIR}/deb)
  set_tests_properties(deb.build PROPERTIES FIXTURES_SETUP deb_built
                       LABELS deb TIMEOUT 2400 RESOURCE_LOCK dpkg)
  set_tests_properties(deb.install deb.service_check PROPERTIES
                       FIXTURES_REQUIRED deb_built LABELS deb TIMEOUT 300
                       RESOURCE_LOCK dpkg ENVIRONMENT "${TEST_ENV}")
endif()
