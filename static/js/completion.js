/* The final check's stored result and the completion summary. Loaded after module.js;
   progress goes through window.TPMProgress. */
